package org.meshhub.migration.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.meshhub.core.db.SchemaMigrations;

/**
 * Writes MeshCore Hub databases with known contents, from the MeshCore Hub schemas committed under
 * {@code src/test/resources/meshcore-hub/} (one per schema generation): the rows its collector would have written
 * for a small mesh, including the awkward ones a real database holds (an advert from before MeshCore Hub kept advert
 * timestamps, a message without a packet hash, two rows of one packet, observers deleted by retention, JSON
 * {@code 'null'}, a key in upper case, rows MeshHub cannot take).
 *
 * <p>{@link #main} also writes a large synthetic one, for measuring the import.
 */
public final class MeshCoreHubFixture {
  /** The MeshCore Hub schema generations the import reads, by the Alembic head each release ends at. */
  public enum Generation {
    /** v0.14: PostgreSQL support added, message signatures widened. */
    V0_14("d4e5f6a7b8c9"),
    /** v0.15: spam-scoring columns on messages. */
    V0_15("38abdf4651fc"),
    /** v0.15.x: raw packets keep their path hash width. */
    V0_15_LATER("57bb65130b97"),
    /** v0.16 to v0.18: route health; raw packets keep their event hash. */
    V0_18("a59611449e2a");

    private final String revision;

    Generation(String revision) {
      this.revision = revision;
    }

    public String revision() {
      return revision;
    }

    String ddl() {
      return resource("meshcore-hub/sqlite-" + revision + ".sql");
    }
  }

  /** The start of the fixture's day. */
  public static final Instant T = Instant.parse("2026-06-01T10:00:00Z");

  // Nodes, by name.
  public static final String OBS1 = key("obs1");
  public static final String OBS2 = key("obs2");
  public static final String OBS3 = key("obs3");
  public static final String ALPHA = key("alpha");
  public static final String BRAVO = key("bravo");
  public static final String CHARLIE = key("charlie");
  public static final String DELTA = key("delta");
  public static final String ECHO = key("echo");
  public static final String GONE = key("gone");

  public static final double ALPHA_LAT = 47.543968;
  public static final double ALPHA_LON = -122.108616;

  public static final String M1_HASH = "B35E8EC0E974A30B";
  public static final String M3_HASH = "ED5D121DC09272C4";
  public static final String M5_HASH = "616AF2BFF47A09AD";
  public static final String M8_HASH = "CD0C5ED1C04D746B";
  public static final String M9_HASH = "E5025D111EAF38CA";
  public static final String A1_HASH = "75B10CB12C391078";
  public static final long TRACE_TAG = 2_712_847_316L;

  private MeshCoreHubFixture() {}

  /** A node's public key: 64 lower-case hex characters derived from its name. */
  public static String key(String name) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(
          ("meshcore-hub-fixture " + name).getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes the fixture mesh into a new SQLite file of the given generation. */
  public static Path writeSqlite(Path file, Generation generation) throws SQLException {
    return writeSqlite(file, generation, generation.revision());
  }

  /** The same, with another revision recorded in {@code alembic_version} (a revision the import must refuse). */
  public static Path writeSqlite(Path file, Generation generation, String revision) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
      Writer w = new Writer(c, false, generation);
      w.schema(generation.ddl());
      c.setAutoCommit(false);
      w.contents(revision);
      c.commit();
    }
    return file;
  }

  /**
   * Writes the fixture mesh into a new PostgreSQL schema, created from MeshCore Hub's PostgreSQL schema (whose own
   * name is {@code meshcorehub}) renamed to {@code schema}.
   */
  public static void writePostgres(Connection admin, String schema) throws SQLException {
    String ddl = resource("meshcore-hub/postgres-a59611449e2a.sql").replace("meshcorehub", schema);
    Writer w = new Writer(admin, true, Generation.V0_18);
    w.schema(ddl);
    boolean auto = admin.getAutoCommit();
    admin.setAutoCommit(false);
    try (Statement st = admin.createStatement()) {
      st.execute("SET LOCAL search_path TO \"" + schema + "\"");
      // Rows that only an old SQLite file can hold (an observer row naming a node that is gone): foreign keys off.
      st.execute("SET LOCAL session_replication_role = replica");
      w.contents(Generation.V0_18.revision());
      admin.commit();
    } catch (SQLException | RuntimeException e) {
      admin.rollback();
      throw e;
    } finally {
      admin.setAutoCommit(auto);
    }
  }

  /** SHA-256 of a file, to show it was not changed. */
  public static String checksum(Path file) throws IOException {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String resource(String path) {
    try (InputStream in = MeshCoreHubFixture.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---------------------------------------------------------------------------------------------------------------

  /** Inserts rows the way MeshCore Hub stores them on either database. */
  private static final class Writer {
    private static final DateTimeFormatter SQLITE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    private final Connection c;
    private final boolean postgres;
    private final Generation generation;
    private int ids;

    Writer(Connection c, boolean postgres, Generation generation) {
      this.c = c;
      this.postgres = postgres;
      this.generation = generation;
    }

    void schema(String ddl) throws SQLException {
      try (Statement st = c.createStatement()) {
        for (String statement : SchemaMigrations.splitStatements(ddl)) {
          st.execute(statement);
        }
      }
    }

    String id() {
      return String.format(Locale.ROOT, "00000000-0000-4000-8000-%012d", ++ids);
    }

    void contents(String revision) throws SQLException {
      insert("INSERT INTO alembic_version (version_num) VALUES (?)", revision);

      String obs1 = node(OBS1, "Observer One", null, null, true, T.minusSeconds(86_400), T.plusSeconds(7_300), null,
          null);
      String obs2 = node(OBS2, "Observer Two", null, null, true, T.minusSeconds(3_600), T.plusSeconds(7_250), null,
          null);
      String obs3 = node(OBS3, null, null, null, true, T.minusSeconds(600), T.plusSeconds(7_000), null, null);
      String alpha = node(ALPHA, "Alpha Repeater", "repeater", 146, false, T, T.plusSeconds(7_200), ALPHA_LAT,
          ALPHA_LON);
      String bravo = node(BRAVO, "Bravo", "chat", 129, false, T.plusSeconds(600), T.plusSeconds(900), null, null);
      node(CHARLIE, "Charlie", "room", 3, false, T.plusSeconds(60), T.plusSeconds(60), null, null);
      String delta = node(DELTA, null, null, null, false, T.plusSeconds(900), T.plusSeconds(901), null, null);
      String echo = node(ECHO, null, null, null, false, T.plusSeconds(30), T.plusSeconds(30), null, null);
      String gone = node(GONE, "Gone", null, null, true, T, T.plusSeconds(400), null, null);
      node("ZZ-not-a-key", "Broken", null, null, true, T, T, null, null);
      String ghost = "00000000-0000-4000-8000-999999999999";

      channel("Public", "8B3387E9C5CDEA6AC9E5EDBAA115CD72", "11");
      channel("#bot", "EB50A1BCB3E4E5D7BF69A57C9DADA211", "CA");

      tag(alpha, "role", "infra", "string", T.plusSeconds(10));
      tag(alpha, "elevation", "120", "number", T.plusSeconds(20));
      tag(alpha, "bad key!", "x", "string", T.plusSeconds(30));
      tag(bravo, "owner", null, "string", T.plusSeconds(40));
      tag(bravo, "note", "x".repeat(1_100), "string", T.plusSeconds(50));
      tag(echo, "site", "hill", "string", T.plusSeconds(60));

      // Adverts: A2 and A2b are one advert (same node and timestamp) MeshCore Hub kept twice, across its buckets.
      advert("a1", alpha, ALPHA, "Alpha Repeater", "repeater", 146, T, T.minusSeconds(60), A1_HASH, obs1);
      observe("advertisement", "a1", obs1, 6.5, 1, T);
      observe("advertisement", "a1", obs2, -3.25, 3, T.plusSeconds(2));
      advert("a2", alpha, ALPHA, "Alpha Repeater", "repeater", 146, T.plusSeconds(3_600), T.plusSeconds(3_570), null,
          obs1);
      observe("advertisement", "a2", obs1, 5.0, 1, T.plusSeconds(3_600));
      observe("advertisement", "a2", obs3, 2.0, 2, T.plusSeconds(3_601));
      advert("a2b", alpha, ALPHA, "Alpha Repeater", "repeater", 146, T.plusSeconds(3_800), T.plusSeconds(3_570),
          null, obs2);
      observe("advertisement", "a2b", obs2, 1.5, 4, T.plusSeconds(3_800));
      observe("advertisement", "a2b", obs1, 5.0, 1, T.plusSeconds(3_801));
      advert("a5", alpha, ALPHA, "Alpha Repeater", "repeater", 146, T.plusSeconds(7_200), T.plusSeconds(7_190), null,
          obs1);
      observe("advertisement", "a5", obs1, 7.25, 0, T.plusSeconds(7_200));
      // An advert from before MeshCore Hub kept advert timestamps, its key in upper case.
      advert("a3", bravo, BRAVO.toUpperCase(Locale.ROOT), "Bravo", "chat", 129, T.plusMillis(600_500), null, null,
          obs2);
      observe("advertisement", "a3", obs2, 3.0, 2, T.plusMillis(600_500));
      advert("a4", null, "not-a-key", "Nobody", "chat", 1, T.plusSeconds(700), T.plusSeconds(700), null, obs1);
      observe("advertisement", "a4", obs1, 1.0, 1, T.plusSeconds(700));
      advert("a6", bravo, BRAVO, "Bravo", "chat", 129, T.plusSeconds(400), T.plusSeconds(399), null, gone);
      observe("advertisement", "a6", gone, 1.0, 1, T.plusSeconds(400));

      message("m1", "channel", null, 17, "Alice: hello mesh", 2, 5, 9.25, T.plusSeconds(100), T.plusSeconds(101),
          M1_HASH, obs1);
      observe("message", "m1", obs1, 9.25, 2, T.plusSeconds(101));
      observe("message", "m1", obs2, 4.0, 0, T.plusMillis(101_500));
      observe("message", "m1", obs3, null, null, T.plusSeconds(102));
      observe("message", "m1", ghost, 1.0, 1, T.plusSeconds(103));
      message("m2", "channel", null, 17, "Bob: hi there", 1, 5, 3.5, T.plusSeconds(200), T.plusSeconds(201), null,
          obs2);
      observe("message", "m2", obs2, 3.5, 1, T.plusSeconds(201));
      observe("message", "m2", obs3, 2.5, 3, T.plusSeconds(202));
      message("m3", "contact", "A1B2C3D4E5F6", null, "ping", 0, 2, 8.0, T.plusSeconds(300), T.plusSeconds(301),
          M3_HASH, obs1);
      observe("message", "m3", obs1, 8.0, 0, T.plusSeconds(301));
      message("m4", "weird", null, null, "?", 0, 0, null, null, T.plusSeconds(350), null, obs1);
      observe("message", "m4", obs1, 1.0, 0, T.plusSeconds(350));
      message("m5", "channel", null, 17, "Carol: same packet", 1, 5, 6.0, T.plusSeconds(500), T.plusSeconds(501),
          M5_HASH, obs1);
      observe("message", "m5", obs1, 6.0, 1, T.plusSeconds(501));
      observe("message", "m5", obs2, 5.0, 2, T.plusSeconds(502));
      message("m6", "channel", null, 17, "Carol: same packet ", 1, 5, 4.0, T.plusSeconds(500), T.plusSeconds(503),
          M5_HASH.toLowerCase(Locale.ROOT), obs2);
      observe("message", "m6", obs2, 4.0, 2, T.plusSeconds(503));
      observe("message", "m6", obs3, 3.0, 3, T.plusSeconds(504));
      message("m7", "channel", null, 17, "Dave: nobody heard this", 1, 5, 1.0, T.plusSeconds(380),
          T.plusSeconds(381), "0123456789ABCDEF", gone);
      observe("message", "m7", gone, 1.0, 1, T.plusSeconds(381));
      message("m8", "channel", null, 17, "Erin: from the row", 4, 5, 7.5, T.plusSeconds(800), T.plusSeconds(801),
          M8_HASH, obs3);
      message("m9", "channel", null, 202, "Frank: bot channel", 0, 5, 2.0, T.plusSeconds(850), T.plusSeconds(851),
          M9_HASH, obs1);
      observe("message", "m9", obs1, 2.0, 0, T.plusSeconds(851));
      // An observer row whose message retention deleted, and one of an event type MeshHub does not import.
      observe("message", "deleted-message", obs1, 1.0, 1, T.plusSeconds(50));
      observe("status", "some-status", obs1, null, null, T.plusSeconds(55));

      trace("t1", TRACE_TAG, 2, 0, 12_345L, "[\"AA\", \"BB\", \"CC\"]", "[5.25, -3.5]", T.plusSeconds(1_000), obs1);
      observe("trace", "t1", obs1, null, 2, T.plusSeconds(1_000));
      observe("trace", "t1", obs2, null, 2, T.plusSeconds(1_001));
      trace("t2", 5_000_000_000L, 1, 0, 0L, "null", "null", T.plusSeconds(1_100), obs1);

      telemetry("tm1", delta, DELTA, "{\"temperature\": 21.5, \"humidity\": 40}", T.plusSeconds(900), obs1);
      observe("telemetry", "tm1", obs1, null, null, T.plusSeconds(900));
      observe("telemetry", "tm1", obs2, null, null, T.plusSeconds(901));
      telemetry("tm2", delta, DELTA, "null", T.plusSeconds(950), obs1);
      observe("telemetry", "tm2", obs1, null, null, T.plusSeconds(950));

      rawPacket(obs1, M1_HASH, "m1");

      // Retention removes the observer GONE: its observer rows go with it, the events keep no observer.
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM event_observers WHERE observer_node_id = ?")) {
        ps.setString(1, gone);
        ps.executeUpdate();
      }
      try (PreparedStatement ps = c.prepareStatement("UPDATE advertisements SET observer_node_id = NULL"
          + " WHERE observer_node_id = ?")) {
        ps.setString(1, gone);
        ps.executeUpdate();
      }
      try (PreparedStatement ps = c.prepareStatement("UPDATE messages SET observer_node_id = NULL"
          + " WHERE observer_node_id = ?")) {
        ps.setString(1, gone);
        ps.executeUpdate();
      }
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM nodes WHERE id = ?")) {
        ps.setString(1, gone);
        ps.executeUpdate();
      }
    }

    String node(String publicKey, String name, String advType, Integer flags, boolean observer, Instant firstSeen,
        Instant lastSeen, Double lat, Double lon) throws SQLException {
      String id = id();
      insert("INSERT INTO nodes (id, public_key, name, adv_type, flags, first_seen, last_seen, created_at, updated_at,"
          + " lat, lon, is_observer) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", id, publicKey, name, advType, flags,
          time(firstSeen), time(lastSeen), time(firstSeen), time(lastSeen), lat, lon, observer);
      return id;
    }

    void channel(String name, String key, String hash) throws SQLException {
      insert("INSERT INTO channels (name, key_hex, channel_hash, visibility, enabled, id, created_at, updated_at)"
          + " VALUES (?, ?, ?, 'community', ?, ?, ?, ?)", name, key, hash, true, id(), time(T), time(T));
    }

    void tag(String nodeId, String key, String value, String type, Instant at) throws SQLException {
      insert("INSERT INTO node_tags (id, node_id, \"key\", value, value_type, created_at, updated_at)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?)", id(), nodeId, key, value, type, time(at), time(at));
    }

    void advert(String name, String nodeId, String publicKey, String nodeName, String advType, int flags,
        Instant receivedAt, Instant advertTimestamp, String packetHash, String observer) throws SQLException {
      insert("INSERT INTO advertisements (id, observer_node_id, node_id, public_key, name, adv_type, flags,"
          + " received_at, created_at, updated_at, event_hash, route_type, advert_timestamp, packet_hash)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", id(), observer, nodeId, publicKey, nodeName, advType,
          flags, time(receivedAt), time(receivedAt), time(receivedAt), eventHash(name), "flood",
          time(advertTimestamp), packetHash);
    }

    void message(String name, String type, String prefix, Integer channel, String text, Integer pathLen,
        Integer txtType, Double snr, Instant senderTimestamp, Instant receivedAt, String packetHash, String observer)
        throws SQLException {
      insert("INSERT INTO messages (id, observer_node_id, message_type, pubkey_prefix, channel_idx, text, path_len,"
          + " txt_type, signature, snr, sender_timestamp, received_at, created_at, updated_at, event_hash,"
          + " packet_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", id(), observer, type, prefix,
          channel, text, pathLen, txtType, packetHash, snr, time(senderTimestamp), time(receivedAt), time(receivedAt),
          time(receivedAt), eventHash(name), packetHash);
      if (generation != Generation.V0_14 && name.equals("m1")) {
        try (PreparedStatement ps = c.prepareStatement("UPDATE messages SET path_prefix = ?, sender_normalized = ?,"
            + " spam_score = ? WHERE event_hash = ?")) {
          ps.setString(1, "A1,B2");
          ps.setString(2, "alice");
          ps.setDouble(3, 0.1);
          ps.setString(4, eventHash(name));
          ps.executeUpdate();
        }
      }
    }

    void trace(String name, long tag, Integer pathLen, Integer flags, Long auth, String hashes, String snrs,
        Instant receivedAt, String observer) throws SQLException {
      insert("INSERT INTO trace_paths (id, observer_node_id, initiator_tag, path_len, flags, auth, path_hashes,"
          + " snr_values, hop_count, received_at, created_at, updated_at, event_hash)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", id(), observer, tag, pathLen, flags, auth, json(hashes),
          json(snrs), 3, time(receivedAt), time(receivedAt), time(receivedAt), eventHash(name));
    }

    void telemetry(String name, String nodeId, String publicKey, String data, Instant receivedAt, String observer)
        throws SQLException {
      insert("INSERT INTO telemetry (id, observer_node_id, node_id, node_public_key, lpp_data, parsed_data,"
          + " received_at, created_at, updated_at, event_hash) VALUES (?, ?, ?, ?, NULL, ?, ?, ?, ?, ?)", id(),
          observer, nodeId, publicKey, json(data), time(receivedAt), time(receivedAt), time(receivedAt),
          eventHash(name));
    }

    void observe(String type, String event, String observer, Double snr, Integer pathLen, Instant at)
        throws SQLException {
      insert("INSERT INTO event_observers (id, event_type, event_hash, observer_node_id, snr, observed_at,"
          + " created_at, updated_at, path_len) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", id(), type, eventHash(event),
          observer, snr, time(at), time(at), time(at), pathLen);
    }

    void rawPacket(String observer, String packetHash, String event) throws SQLException {
      String id = id();
      insert("INSERT INTO raw_packets (observer_node_id, packet_hash, raw_hex, packet_type, payload_type, event_type,"
          + " channel_idx, route_type, path_len, snr, decoded, received_at, id, created_at, updated_at)"
          + " VALUES (?, ?, ?, 5, 5, 'channel_msg_recv', 17, 'flood', 2, 9.25, ?, ?, ?, ?, ?)", observer, packetHash,
          "15001", json("null"), time(T.plusSeconds(101)), id, time(T), time(T));
      if (generation != Generation.V0_14 && generation != Generation.V0_15) {
        insert("UPDATE raw_packets SET path_hash_bytes = 1 WHERE id = ?", id);
      }
      if (generation == Generation.V0_18) {
        insert("UPDATE raw_packets SET event_hash = ? WHERE id = ?", eventHash(event), id);
      }
    }

    /** A time as the database keeps it: naive UTC text with six fraction digits on SQLite, timestamptz on PG. */
    Object time(Instant at) {
      if (at == null) {
        return null;
      }
      if (postgres) {
        return OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
      }
      return SQLITE_TIME.format(LocalDateTime.ofInstant(at, ZoneOffset.UTC));
    }

    Object json(String text) {
      return new Json(text);
    }

    void insert(String sql, Object... values) throws SQLException {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        bind(ps, values);
        ps.executeUpdate();
      }
    }

    private void bind(PreparedStatement ps, Object[] values) throws SQLException {
      for (int i = 0; i < values.length; i++) {
        Object v = values[i];
        int p = i + 1;
        if (v == null) {
          ps.setNull(p, Types.NULL);
        } else if (v instanceof Json j) {
          if (postgres) {
            ps.setObject(p, j.text(), Types.OTHER);
          } else {
            ps.setString(p, j.text());
          }
        } else if (v instanceof OffsetDateTime t) {
          ps.setObject(p, t);
        } else if (v instanceof Boolean b) {
          ps.setBoolean(p, b);
        } else {
          ps.setObject(p, v);
        }
      }
    }
  }

  private record Json(String text) {}

  /** MeshCore Hub's event hash is an MD5 hex digest; any 32 hex characters unique per event will do here. */
  static String eventHash(String name) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(name.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // A large synthetic source, for measuring the import

  /**
   * What a synthetic source holds.
   *
   * @param rows every row of the imported tables, observer rows included
   */
  public record Synthetic(long rows, long nodes, long adverts, long messages, long observerRows) {}

  /**
   * A synthetic MeshCore Hub database of {@code messages} channel messages and {@code adverts} adverts of
   * {@code nodes} nodes, each heard by 1 to {@code 2 x observers - 1} of {@code observers} observers (on average
   * {@code observers}), like a busy regional mesh.
   */
  public static Synthetic writeSynthetic(Path file, Generation generation, int nodes, int observers, int adverts,
      int messages, long seed) throws SQLException {
    Random random = new Random(seed);
    long observerRows = 0;
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
      Writer w = new Writer(c, false, generation);
      w.schema(generation.ddl());
      try (Statement st = c.createStatement()) {
        st.execute("PRAGMA journal_mode = WAL");
        st.execute("PRAGMA synchronous = OFF");
      }
      c.setAutoCommit(false);
      w.insert("INSERT INTO alembic_version (version_num) VALUES (?)", generation.revision());
      List<String> observerIds = new ArrayList<>();
      for (int i = 0; i < observers; i++) {
        observerIds.add(w.node(key("synthetic observer " + i), "Observer " + i, null, null, true, T,
            T.plusSeconds(86_400), null, null));
      }
      List<String> nodeKeys = new ArrayList<>();
      List<String> nodeIds = new ArrayList<>();
      for (int i = 0; i < nodes; i++) {
        String k = key("synthetic node " + i);
        nodeKeys.add(k);
        nodeIds.add(w.node(k, "Node " + i, i % 5 == 0 ? "repeater" : "chat", i % 5 == 0 ? 0x92 : 0x81, false, T,
            T.plusSeconds(86_400), 47.0 + random.nextDouble(), -122.0 + random.nextDouble()));
      }
      w.channel("Public", "8B3387E9C5CDEA6AC9E5EDBAA115CD72", "11");
      try (PreparedStatement advert = c.prepareStatement("INSERT INTO advertisements (id, observer_node_id, node_id,"
          + " public_key, name, adv_type, flags, received_at, created_at, updated_at, event_hash, route_type,"
          + " advert_timestamp, packet_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'flood', ?, ?)");
          PreparedStatement message = c.prepareStatement("INSERT INTO messages (id, observer_node_id, message_type,"
              + " pubkey_prefix, channel_idx, text, path_len, txt_type, signature, snr, sender_timestamp, received_at,"
              + " created_at, updated_at, event_hash, packet_hash) VALUES (?, ?, 'channel', NULL, 17, ?, ?, 5, ?, ?,"
              + " ?, ?, ?, ?, ?, ?)");
          PreparedStatement observe = c.prepareStatement("INSERT INTO event_observers (id, event_type, event_hash,"
              + " observer_node_id, snr, observed_at, created_at, updated_at, path_len)"
              + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        long seconds = 30L * 86_400;
        for (int i = 0; i < adverts; i++) {
          int n = random.nextInt(nodes);
          Instant at = T.plusMillis((long) (random.nextDouble() * seconds * 1000));
          String hash = eventHash("synthetic advert " + i);
          List<String> heard = heard(random, observerIds);
          Object[] values = {w.id(), heard.get(0), nodeIds.get(n), nodeKeys.get(n), "Node " + n,
              n % 5 == 0 ? "repeater" : "chat", n % 5 == 0 ? 0x92 : 0x81, w.time(at), w.time(at), w.time(at), hash,
              w.time(Instant.ofEpochSecond(at.getEpochSecond() - 5)), packetHash(random)};
          w.bind(advert, values);
          advert.addBatch();
          observerRows += observers(w, observe, "advertisement", hash, heard, at, random);
          if (i % 5_000 == 4_999) {
            advert.executeBatch();
            observe.executeBatch();
          }
        }
        advert.executeBatch();
        observe.executeBatch();
        for (int i = 0; i < messages; i++) {
          Instant at = T.plusMillis((long) (random.nextDouble() * seconds * 1000));
          String hash = eventHash("synthetic message " + i);
          List<String> heard = heard(random, observerIds);
          String packet = packetHash(random);
          Object[] values = {w.id(), heard.get(0), "Node " + random.nextInt(nodes) + ": message number " + i,
              random.nextInt(5), packet, -5 + random.nextDouble() * 15, w.time(at.minusSeconds(1)), w.time(at),
              w.time(at), w.time(at), hash, packet};
          w.bind(message, values);
          message.addBatch();
          observerRows += observers(w, observe, "message", hash, heard, at, random);
          if (i % 5_000 == 4_999) {
            message.executeBatch();
            observe.executeBatch();
          }
        }
        message.executeBatch();
        observe.executeBatch();
      }
      c.commit();
    }
    long rows = observers + nodes + adverts + messages + observerRows;
    return new Synthetic(rows, observers + nodes, adverts, messages, observerRows);
  }

  private static List<String> heard(Random random, List<String> observerIds) {
    int count = 1 + random.nextInt(2 * observerIds.size() - 1);
    count = Math.min(count, observerIds.size());
    List<String> shuffled = new ArrayList<>(observerIds);
    java.util.Collections.shuffle(shuffled, random);
    return shuffled.subList(0, count);
  }

  private static int observers(Writer w, PreparedStatement observe, String type, String hash, List<String> heard,
      Instant at, Random random) throws SQLException {
    for (int k = 0; k < heard.size(); k++) {
      Instant when = at.plusMillis(k * 150L + random.nextInt(100));
      w.bind(observe, new Object[] {w.id(), type, hash, heard.get(k), -10 + random.nextDouble() * 20, w.time(when),
          w.time(when), w.time(when), random.nextInt(8)});
      observe.addBatch();
    }
    return heard.size();
  }

  private static String packetHash(Random random) {
    byte[] b = new byte[8];
    random.nextBytes(b);
    return HexFormat.of().withUpperCase().formatHex(b);
  }

  /**
   * {@code MeshCoreHubFixture FILE [messages] [adverts] [nodes] [observers]}: writes a synthetic MeshCore Hub SQLite
   * database (schema of v0.18) for measuring the import, and prints what it holds.
   */
  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: MeshCoreHubFixture FILE [messages] [adverts] [nodes] [observers]");
      System.exit(2);
    }
    Path file = Path.of(args[0]);
    int messages = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
    int adverts = args.length > 2 ? Integer.parseInt(args[2]) : messages / 4;
    int nodes = args.length > 3 ? Integer.parseInt(args[3]) : 1_000;
    int observers = args.length > 4 ? Integer.parseInt(args[4]) : 3;
    Files.deleteIfExists(file);
    long t0 = System.nanoTime();
    Synthetic s = writeSynthetic(file, Generation.V0_18, nodes, observers, adverts, messages, 42);
    System.out.printf(Locale.ROOT, "wrote %s: %d rows (%d nodes, %d adverts, %d messages, %d observer rows)"
        + " in %.1f s%n", file, s.rows(), s.nodes(), s.adverts(), s.messages(), s.observerRows(),
        (System.nanoTime() - t0) / 1e9);
  }
}
