package org.meshhub.core.ingest;

import java.util.Objects;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.meshhub.core.Outcome;
import org.meshhub.core.message.MessageEntity;
import org.meshhub.core.node.NodeEntity;

/** Where a valid message goes: a command for one node or one message entity, or nowhere (ignored). */
sealed interface Route permits Route.ToNode, Route.ToMessage, Route.Ignore {

  /** A command for the node entity of {@code publicKey}. */
  record ToNode(String publicKey, Function<ActorRef<StatusReply<Outcome>>, NodeEntity.Command> command)
      implements Route {
    public ToNode {
      Objects.requireNonNull(publicKey, "publicKey");
      Objects.requireNonNull(command, "command");
    }
  }

  /** A command for the message entity of the packet {@code hash}. */
  record ToMessage(String hash, Function<ActorRef<StatusReply<Outcome>>, MessageEntity.Command> command)
      implements Route {
    public ToMessage {
      Objects.requireNonNull(hash, "hash");
      Objects.requireNonNull(command, "command");
    }
  }

  /** Valid, but nothing MeshHub records (a transmitted packet, an internal notice). */
  record Ignore(String reason, String detail) implements Route {
    public Ignore {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
