package org.meshhub.core.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.apache.pekko.actor.typed.ActorSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.meshhub.core.Outcome;
import org.meshhub.core.cluster.ClusterSettings;
import org.meshhub.core.cluster.MeshHubNode;
import org.meshhub.core.db.Database;
import org.meshhub.core.db.DatabaseSettings;
import org.meshhub.core.db.Storage;
import org.meshhub.core.testing.Samples;
import org.meshhub.core.testing.TestDatabases;

class PostgresJournalTest extends JournalContract {
  private static final String SCHEMA = TestDatabases.uniqueSchema(PostgresJournalTest.class);
  private static final String OTHER = SCHEMA + "_other";

  @AfterAll
  static void drop() {
    TestDatabases.dropSchema(SCHEMA);
    TestDatabases.dropSchema(OTHER);
  }

  @Override
  DatabaseSettings settings() {
    return DatabaseSettings.fromEnv(TestDatabases.postgresEnv(SCHEMA));
  }

  @Test
  void instancesInDifferentSchemasDoNotSeeEachOthersEvents() throws Exception {
    DatabaseSettings other = DatabaseSettings.fromEnv(TestDatabases.postgresEnv(OTHER));
    String key = Samples.publicKey(42);
    try (Database a = Storage.prepare(settings(), 1); Database b = Storage.prepare(other, 1)) {
      long before = count(a, "SELECT COUNT(*) FROM event_journal");
      ActorSystem<Void> system = MeshHubNode.start(settings(), ClusterSettings.local());
      try {
        assertEquals(Outcome.RECORDED, ask(system, key, Samples.advert(1_700_000_100L, "Prod"),
            Samples.publicKey(7)));
      } finally {
        MeshHubNode.stop(system);
      }
      assertEquals(before + 1, count(a, "SELECT COUNT(*) FROM event_journal"));
      assertEquals(0, count(b, "SELECT COUNT(*) FROM event_journal"));

      ActorSystem<Void> staging = MeshHubNode.start(other, ClusterSettings.local());
      try {
        assertNull(node(staging, key).name(), "the other schema's instance has never heard of this node");
      } finally {
        MeshHubNode.stop(staging);
      }
    }
  }
}
