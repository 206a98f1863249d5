package org.meshhub.migration.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.meshhub.core.Outcome;
import org.meshhub.core.Reception;
import org.meshhub.core.cluster.ClusterSettings;
import org.meshhub.core.cluster.MeshHubNode;
import org.meshhub.core.db.Database;
import org.meshhub.core.db.DatabaseSettings;
import org.meshhub.core.db.Storage;
import org.meshhub.core.ingest.RejectedMessages;
import org.meshhub.core.message.MessageEntity;
import org.meshhub.core.node.NodeEntity;
import org.meshhub.core.testing.Samples;

/**
 * A MeshHub SQLite database written the way MeshHub writes it: commands sent to the real node and message entities
 * through cluster sharding, persisted by the real journal (events, tags, snapshots), plus projection offsets as
 * pekko-projection-jdbc stores them. It remembers what every entity answered, so that a test can compare the
 * entities after a migration.
 */
public final class JournalFixture {
  private static final Duration ASK = Duration.ofSeconds(60);

  /**
   * What was written.
   *
   * @param nodes every node's summary as its entity answered after the writes
   * @param messages every message's summary
   */
  public record Written(Path file, Map<String, NodeEntity.Summary> nodes,
      Map<String, MessageEntity.Summary> messages) {}

  /** Rows the fixture puts in {@code rejected_messages}, through the ingest's own repository. */
  public static final int REJECTED = 6;

  private static Written shared;

  private JournalFixture() {}

  /**
   * One database for every test class of the JVM that only reads its source (the migration never changes it): 12
   * nodes with 40 adverts heard by three observers each (1,440 node events, snapshots included), 12 tags, 100
   * messages heard twice (1,652 events) and {@value #REJECTED} rejected messages; deleted when the JVM ends.
   */
  public static synchronized Written shared() throws Exception {
    if (shared == null) {
      Path dir = Files.createTempDirectory("meshhub-fixture");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
      shared = write(dir, 12, 40, 100);
    }
    return shared;
  }

  /** Deletes a folder and everything in it, quietly. */
  public static void deleteTree(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temporary folder; nothing depends on it being gone
    }
  }

  /**
   * Writes into {@code dataHome/meshhub.db}: {@code nodes} nodes with {@code adverts} adverts each, every advert
   * heard by three observers (so a node has {@code 3 * adverts} events and snapshots past 100), one tag per node,
   * and {@code messages} channel messages heard by two observers each; and {@value #REJECTED} rejected messages.
   */
  public static Written write(Path dataHome, int nodes, int adverts, int messages) throws Exception {
    DatabaseSettings settings = DatabaseSettings.sqlite(org.meshhub.core.testing.TestDatabases.sqliteEnv(dataHome));
    List<String> nodeKeys = new ArrayList<>();
    for (int n = 0; n < nodes; n++) {
      nodeKeys.add(Samples.publicKey(10_000 + n));
    }
    List<String> observers = List.of(Samples.publicKey(1), Samples.publicKey(2), Samples.publicKey(3));
    List<String> hashes = new ArrayList<>();
    for (int m = 0; m < messages; m++) {
      hashes.add(Samples.packetHash(50_000 + m));
    }
    Map<String, NodeEntity.Summary> nodeSummaries = new LinkedHashMap<>();
    Map<String, MessageEntity.Summary> messageSummaries = new LinkedHashMap<>();
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    try (Database db = Storage.prepare(settings, 1)) {
      ActorSystem<Void> system = MeshHubNode.start(settings, ClusterSettings.local());
      try {
        ClusterSharding sharding = ClusterSharding.get(system);
        Semaphore window = new Semaphore(400);
        List<CompletableFuture<Outcome>> pending = new ArrayList<>();
        for (int a = 0; a < adverts; a++) {
          for (int n = 0; n < nodes; n++) {
            for (int o = 0; o < observers.size(); o++) {
              NodeEntity.Advert advert = new NodeEntity.Advert(1_750_000_000L + a, "node-" + n, "repeater", 0x92,
                  47.5 + n * 0.001, -122.1, true, null, null);
              Reception r = new Reception(observers.get(o), t0.plusSeconds(a * 60L + o), 6.5 + o, -97 - o, o,
                  o == 0 ? null : "a1b2");
              String key = nodeKeys.get(n);
              window.acquire();
              pending.add(sharding.entityRefFor(NodeEntity.ENTITY_KEY, key)
                  .<Outcome>askWithStatus(reply -> new NodeEntity.RecordAdvert(advert, r, reply), ASK)
                  .toCompletableFuture().whenComplete((x, e) -> window.release()));
            }
          }
        }
        for (int n = 0; n < nodes; n++) {
          String key = nodeKeys.get(n);
          String value = "site-" + n;
          window.acquire();
          pending.add(sharding.entityRefFor(NodeEntity.ENTITY_KEY, key)
              .<Outcome>askWithStatus(reply -> new NodeEntity.SetTag("site", value, reply), ASK)
              .toCompletableFuture().whenComplete((x, e) -> window.release()));
        }
        for (int m = 0; m < messages; m++) {
          String hash = hashes.get(m);
          MessageEntity.MessageContent content = Samples.channelMessage("hello #" + m);
          for (int o = 0; o < 2; o++) {
            Reception r = new Reception(observers.get(o), t0.plusSeconds(m), 5.0, -100, 1, "c3");
            window.acquire();
            pending.add(sharding.entityRefFor(MessageEntity.ENTITY_KEY, hash)
                .<Outcome>askWithStatus(reply -> new MessageEntity.RecordMessage(content, null, r, reply), ASK)
                .toCompletableFuture().whenComplete((x, e) -> window.release()));
          }
        }
        CompletableFuture.allOf(pending.toArray(new CompletableFuture[0])).get(10, TimeUnit.MINUTES);
        nodeSummaries.putAll(nodes(system, nodeKeys));
        messageSummaries.putAll(messages(system, hashes));
      } finally {
        MeshHubNode.stop(system);
      }
      RejectedMessages rejected = new RejectedMessages(db);
      for (int i = 0; i < REJECTED; i++) {
        rejected.insert("meshcore/SEA/" + observers.get(i % 3) + "/packets", new byte[] {'{', (byte) i, 0, (byte) 0xFF},
            "bad_json", i % 2 == 0 ? null : "unexpected byte at offset " + i, t0.plusMillis(1_234L * i));
      }
    }
    Path file = settings.sqliteFile();
    addProjectionRows(file);
    return new Written(file, nodeSummaries, messageSummaries);
  }

  /** Every node's summary as its entity answers now. */
  public static Map<String, NodeEntity.Summary> nodes(ActorSystem<?> system, List<String> keys) throws Exception {
    Map<String, NodeEntity.Summary> out = new LinkedHashMap<>();
    ClusterSharding sharding = ClusterSharding.get(system);
    for (String key : keys) {
      out.put(key, sharding.entityRefFor(NodeEntity.ENTITY_KEY, key).<NodeEntity.Summary>ask(NodeEntity.Get::new, ASK)
          .toCompletableFuture().get(2, TimeUnit.MINUTES));
    }
    return out;
  }

  public static Map<String, MessageEntity.Summary> messages(ActorSystem<?> system, List<String> hashes)
      throws Exception {
    Map<String, MessageEntity.Summary> out = new LinkedHashMap<>();
    ClusterSharding sharding = ClusterSharding.get(system);
    for (String hash : hashes) {
      out.put(hash, sharding.entityRefFor(MessageEntity.ENTITY_KEY, hash)
          .<MessageEntity.Summary>ask(MessageEntity.Get::new, ASK).toCompletableFuture().get(2, TimeUnit.MINUTES));
    }
    return out;
  }

  /**
   * Offsets and a paused flag as pekko-projection-jdbc writes them on SQLite (booleans as 0/1): a projection that had
   * read the node tags up to the journal's current ordering.
   */
  static void addProjectionRows(Path file) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
      long max;
      try (ResultSet rs = st.executeQuery("SELECT MAX(ordering) FROM event_journal")) {
        rs.next();
        max = rs.getLong(1);
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO pekko_projection_offset_store (projection_name,"
          + " projection_key, current_offset, manifest, mergeable, last_updated) VALUES (?, ?, ?, 'SEQ', 0, ?)")) {
        for (String tag : NodeEntity.TAGS) {
          ps.setString(1, "nodes");
          ps.setString(2, tag);
          ps.setString(3, Long.toString(max));
          ps.setLong(4, 1_767_225_600_000L);
          ps.addBatch();
        }
        ps.executeBatch();
      }
      st.executeUpdate("INSERT INTO pekko_projection_management (projection_name, projection_key, paused,"
          + " last_updated) VALUES ('nodes', 'node-0', 1, 1767225600000), ('nodes', 'node-1', 0, 1767225600000)");
    }
  }

  /** SHA-256 of a file's bytes. */
  public static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Copies the database (and its WAL, if any) to {@code dir/meshhub.db}, for a test that changes its source. */
  public static Path copy(Path file, Path dir) throws IOException {
    Files.createDirectories(dir);
    Path target = dir.resolve("meshhub.db");
    Files.copy(file, target);
    Path wal = file.resolveSibling(file.getFileName() + "-wal");
    if (Files.exists(wal)) {
      Files.copy(wal, dir.resolve("meshhub.db-wal"));
    }
    return target;
  }
}
