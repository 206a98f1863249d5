package org.meshhub.core.ingest;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.meshhub.core.cluster.ClusterSettings;
import org.meshhub.core.cluster.MeshHubNode;
import org.meshhub.core.db.Database;
import org.meshhub.core.db.DatabaseSettings;
import org.meshhub.core.db.Storage;
import org.meshhub.core.message.MessageEntity;
import org.meshhub.core.metrics.MeshHubMetrics;
import org.meshhub.core.node.NodeEntity;

/** A MeshHub node with its ingest pipeline on a real database, and ways to look at what it stored. */
final class IngestFixture implements AutoCloseable {
  static final Duration ASK = Duration.ofSeconds(30);

  final Database database;
  final ActorSystem<Void> system;
  final EntityIngestPipeline pipeline;

  private IngestFixture(Database database, ActorSystem<Void> system, EntityIngestPipeline pipeline) {
    this.database = database;
    this.system = system;
    this.pipeline = pipeline;
  }

  static IngestFixture start(DatabaseSettings settings, IngestSettings ingest, String prefix) {
    Database database = Storage.prepare(settings, 2);
    ActorSystem<Void> system = MeshHubNode.start(settings, ClusterSettings.local());
    return new IngestFixture(database, system, EntityIngestPipeline.start(system, database, ingest, prefix));
  }

  IngestResult submit(String topic, byte[] payload) throws Exception {
    return pipeline.submit(topic, payload).toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  IngestResult submit(String topic, String payload) throws Exception {
    return submit(topic, payload.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  NodeEntity.Summary node(String publicKey) throws Exception {
    return ClusterSharding.get(system).entityRefFor(NodeEntity.ENTITY_KEY, publicKey)
        .<NodeEntity.Summary>ask(NodeEntity.Get::new, ASK).toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  MessageEntity.Summary message(String hash) throws Exception {
    return ClusterSharding.get(system).entityRefFor(MessageEntity.ENTITY_KEY, hash)
        .<MessageEntity.Summary>ask(MessageEntity.Get::new, ASK).toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  long count(String sql) throws Exception {
    return count(database, sql);
  }

  static long count(Database database, String sql) throws Exception {
    try (Connection c = database.connection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Journal rows of one entity type ({@code Node} or {@code Message}). */
  long events(String entityType) throws Exception {
    return count("SELECT COUNT(*) FROM event_journal WHERE persistence_id LIKE '" + entityType + "|%'");
  }

  /** The value of one Prometheus series, e.g. {@code meshhub_ingest_rejected_total{reason="bad_hex"}}; 0 if absent. */
  double metric(String series) {
    return metric(MeshHubMetrics.get(system).scrape(), series);
  }

  static double metric(String scrape, String series) {
    Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(scrape);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  @Override
  public void close() {
    pipeline.close();
    MeshHubNode.stop(system);
    database.close();
  }
}
