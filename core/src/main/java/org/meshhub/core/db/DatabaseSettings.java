package org.meshhub.core.db;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.meshhub.core.config.Env;
import org.meshhub.core.config.SettingsException;

/**
 * Where MeshHub keeps its data, read once from the environment (DATABASE_* variables, DATA_HOME).
 *
 * <p>SQLite is the default; PostgreSQL is chosen only by {@code DATABASE_BACKEND=postgres}. A {@code DATABASE_URL}
 * overrides the individual parts. The password is never part of {@link #toString()}, {@link #jdbcUrl()} or
 * {@link #displayLocation()}.
 *
 * @param dialect which database product
 * @param sqliteFile the SQLite file (SQLite only)
 * @param sqliteFileVariable the variable that chose the SQLite file, for error messages
 * @param host PostgreSQL host
 * @param port PostgreSQL port
 * @param database PostgreSQL database name
 * @param user PostgreSQL role
 * @param password PostgreSQL password (never printed)
 * @param schema the schema holding everything of this instance (PostgreSQL)
 * @param jdbcParameters extra parameters from a {@code jdbc:postgresql} URL, passed to the driver
 * @param connectTimeout how long start-up waits for the database to accept connections
 */
public record DatabaseSettings(
    Dialect dialect,
    Path sqliteFile,
    String sqliteFileVariable,
    String host,
    int port,
    String database,
    String user,
    String password,
    String schema,
    Map<String, String> jdbcParameters,
    Duration connectTimeout) {

  public static final String DATA_HOME = "DATA_HOME";
  public static final String DATABASE_BACKEND = "DATABASE_BACKEND";
  public static final String DATABASE_URL = "DATABASE_URL";
  public static final String DATABASE_HOST = "DATABASE_HOST";
  public static final String DATABASE_PORT = "DATABASE_PORT";
  public static final String DATABASE_NAME = "DATABASE_NAME";
  public static final String DATABASE_USER = "DATABASE_USER";
  public static final String DATABASE_PASSWORD = "DATABASE_PASSWORD";
  public static final String DATABASE_SCHEMA = "DATABASE_SCHEMA";
  public static final String DATABASE_CONNECT_TIMEOUT = "DATABASE_CONNECT_TIMEOUT";

  public static final String SQLITE_FILE_NAME = "meshhub.db";
  private static final Pattern SCHEMA_NAME = Pattern.compile("^[a-z_][a-z0-9_]{0,62}$");
  private static final Pattern PG_URL = Pattern.compile("^(postgres|postgresql)(\\+[A-Za-z0-9_]+)?://.*", Pattern.DOTALL);

  public DatabaseSettings {
    jdbcParameters = Map.copyOf(jdbcParameters);
  }

  /** Settings for the configured backend, as {@code meshhub serve} and {@code meshhub db} use them. */
  public static DatabaseSettings fromEnv(Env env) {
    String backend = env.get(DATABASE_BACKEND, "sqlite").toLowerCase(Locale.ROOT);
    Optional<String> url = env.get(DATABASE_URL);
    switch (backend) {
      case "sqlite":
        if (url.isPresent() && isPostgresUrl(url.get())) {
          throw new SettingsException(DATABASE_URL,
              "is a PostgreSQL URL but DATABASE_BACKEND is sqlite; set DATABASE_BACKEND=postgres to use PostgreSQL");
        }
        return sqlite(env);
      case "postgres":
      case "postgresql":
        if (url.isPresent() && isSqliteUrl(url.get())) {
          throw new SettingsException(DATABASE_URL,
              "is a SQLite URL but DATABASE_BACKEND is postgres; give a postgresql:// URL or unset DATABASE_URL");
        }
        return postgres(env);
      default:
        throw new SettingsException(DATABASE_BACKEND,
            "unknown backend '" + abbreviate(backend) + "'; use sqlite (the default) or postgres");
    }
  }

  /** SQLite settings: {@code DATABASE_URL} when it names a SQLite file, else {@code ${DATA_HOME}/meshhub.db}. */
  public static DatabaseSettings sqlite(Env env) {
    Optional<String> url = env.get(DATABASE_URL);
    Path file;
    String variable;
    if (url.isPresent()) {
      file = parseSqliteUrl(url.get());
      variable = DATABASE_URL;
    } else {
      file = Path.of(env.get(DATA_HOME, "./data")).resolve(SQLITE_FILE_NAME);
      variable = DATA_HOME;
    }
    String schema = schema(env);
    return new DatabaseSettings(Dialect.SQLITE, file.toAbsolutePath().normalize(), variable,
        null, 0, null, null, null, schema, Map.of(), connectTimeout(env));
  }

  /** A SQLite file given directly (the migration source). */
  public static DatabaseSettings sqliteFile(Path file) {
    return new DatabaseSettings(Dialect.SQLITE, file.toAbsolutePath().normalize(), "--source",
        null, 0, null, null, null, "meshhub", Map.of(), Duration.ofSeconds(5));
  }

  /** PostgreSQL settings from {@code DATABASE_URL} or the {@code DATABASE_*} parts, whatever the backend says. */
  public static DatabaseSettings postgres(Env env) {
    String host = env.get(DATABASE_HOST, "postgres");
    int port = env.getInt(DATABASE_PORT, 5432, 1, 65535);
    String database = env.get(DATABASE_NAME, "meshhub");
    String user = env.get(DATABASE_USER, "meshhub");
    String password = env.get(DATABASE_PASSWORD).orElse(null);
    Map<String, String> params = new LinkedHashMap<>();
    String schemaFromUrl = null;

    Optional<String> url = env.get(DATABASE_URL);
    if (url.isPresent()) {
      String u = url.get();
      boolean jdbc = u.startsWith("jdbc:postgresql://");
      if (!jdbc && !isPostgresUrl(u)) {
        throw new SettingsException(DATABASE_URL, "is not a PostgreSQL URL; accepted forms: "
            + "postgresql://user:password@host:port/db, postgres://..., postgresql+psycopg2://..., "
            + "jdbc:postgresql://host:port/db?user=...&password=...");
      }
      String rest = u.substring(u.indexOf("://") + 3);
      String query = null;
      int q = rest.indexOf('?');
      if (q >= 0) {
        query = rest.substring(q + 1);
        rest = rest.substring(0, q);
      }
      String path = null;
      int slash = rest.indexOf('/');
      if (slash >= 0) {
        path = rest.substring(slash + 1);
        rest = rest.substring(0, slash);
      }
      int at = rest.lastIndexOf('@');
      if (at >= 0) {
        String userInfo = rest.substring(0, at);
        rest = rest.substring(at + 1);
        int colon = userInfo.indexOf(':');
        if (colon >= 0) {
          user = decode(userInfo.substring(0, colon));
          password = decode(userInfo.substring(colon + 1));
        } else {
          user = decode(userInfo);
        }
      }
      if (!rest.isEmpty()) {
        int colon = rest.lastIndexOf(':');
        if (colon >= 0 && !rest.endsWith("]")) {
          host = rest.substring(0, colon);
          try {
            port = Integer.parseInt(rest.substring(colon + 1));
          } catch (NumberFormatException e) {
            throw new SettingsException(DATABASE_URL, "has a port that is not a number");
          }
          if (port < 1 || port > 65535) {
            throw new SettingsException(DATABASE_URL, "has a port outside 1-65535");
          }
        } else {
          host = rest;
        }
      }
      if (path != null && !path.isEmpty()) {
        database = decode(path);
      }
      if (query != null) {
        for (String pair : query.split("&")) {
          if (pair.isEmpty()) {
            continue;
          }
          int eq = pair.indexOf('=');
          String k = decode(eq >= 0 ? pair.substring(0, eq) : pair);
          String v = eq >= 0 ? decode(pair.substring(eq + 1)) : "";
          switch (k) {
            case "user" -> user = v;
            case "password" -> password = v;
            case "currentSchema", "schema" -> schemaFromUrl = v;
            default -> {
              if (jdbc) {
                params.put(k, v);
              }
              // libpq options of the other URL forms (sslmode=...) are passed on where the driver knows them.
              else if (k.equals("sslmode") || k.equals("connect_timeout") || k.equals("application_name")) {
                params.put(k.equals("connect_timeout") ? "connectTimeout" : k.equals("application_name")
                    ? "ApplicationName" : k, v);
              }
            }
          }
        }
      }
    }
    if (host.isBlank()) {
      throw new SettingsException(url.isPresent() ? DATABASE_URL : DATABASE_HOST, "has no host name");
    }
    if (password == null || password.isEmpty()) {
      throw new SettingsException(DATABASE_PASSWORD,
          "is required for PostgreSQL (set DATABASE_PASSWORD, or put the password in DATABASE_URL)");
    }
    String schema = env.get(DATABASE_SCHEMA).isPresent() || schemaFromUrl == null ? schema(env) : checkSchema(
        DATABASE_URL, schemaFromUrl);
    return new DatabaseSettings(Dialect.POSTGRESQL, null, null, host, port, database, user, password, schema,
        params, connectTimeout(env));
  }

  private static String schema(Env env) {
    return checkSchema(DATABASE_SCHEMA, env.get(DATABASE_SCHEMA, "meshhub"));
  }

  private static String checkSchema(String variable, String schema) {
    if (!SCHEMA_NAME.matcher(schema).matches()) {
      throw new SettingsException(variable, "schema name '" + abbreviate(schema)
          + "' is not a plain identifier: use lower-case letters, digits and _, starting with a letter or _,"
          + " at most 63 characters");
    }
    return schema;
  }

  private static Duration connectTimeout(Env env) {
    return Duration.ofSeconds(env.getInt(DATABASE_CONNECT_TIMEOUT, 60, 0, 86_400));
  }

  static boolean isPostgresUrl(String url) {
    return PG_URL.matcher(url).matches() || url.startsWith("jdbc:postgresql:");
  }

  static boolean isSqliteUrl(String url) {
    return url.startsWith("sqlite:") || url.startsWith("jdbc:sqlite:");
  }

  /**
   * {@code sqlite:///relative/file.db}, {@code sqlite:////absolute/file.db} (the SQLAlchemy forms) and
   * {@code jdbc:sqlite:path}; query parameters are ignored because MeshHub sets its own pragmas.
   */
  static Path parseSqliteUrl(String url) {
    String path;
    if (url.startsWith("sqlite:///")) {
      path = url.substring("sqlite:///".length());
    } else if (url.startsWith("jdbc:sqlite:")) {
      path = url.substring("jdbc:sqlite:".length());
      if (path.startsWith("file:")) {
        path = path.substring("file:".length());
      }
    } else if (isPostgresUrl(url)) {
      throw new SettingsException(DATABASE_URL, "is a PostgreSQL URL; set DATABASE_BACKEND=postgres to use it");
    } else {
      throw new SettingsException(DATABASE_URL, "is not a URL MeshHub accepts; use sqlite:///path/to/file.db, "
          + "jdbc:sqlite:path, or a postgresql:// URL with DATABASE_BACKEND=postgres");
    }
    int q = path.indexOf('?');
    if (q >= 0) {
      path = path.substring(0, q);
    }
    if (path.isEmpty() || path.equals(":memory:") || path.startsWith(":memory:")) {
      throw new SettingsException(DATABASE_URL, "must name a SQLite file; an in-memory database would lose data");
    }
    return Path.of(path);
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new SettingsException(DATABASE_URL, "has a malformed %-escape");
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }

  /** The JDBC URL, without credentials (they go as connection properties). */
  public String jdbcUrl() {
    if (dialect == Dialect.SQLITE) {
      // WAL so that readers never block the writer; a busy timeout so that a short lock waits instead of failing
      // (with 0 the journal's circuit breaker opens); NORMAL sync is durable in WAL mode except on power loss.
      return "jdbc:sqlite:" + sqliteFile + "?journal_mode=WAL&synchronous=NORMAL&busy_timeout=30000"
          + "&foreign_keys=true";
    }
    StringBuilder sb = new StringBuilder("jdbc:postgresql://").append(hostPort()).append('/').append(database)
        .append("?currentSchema=").append(schema)
        .append("&ApplicationName=meshhub")
        // Lets the driver send a JDBC batch of inserts as multi-row statements (the journal's write path).
        .append("&reWriteBatchedInserts=true");
    jdbcParameters.forEach((k, v) -> {
      if (!k.equals("ApplicationName") && !k.equals("options")) {
        sb.append('&').append(k).append('=').append(v);
      }
    });
    String options = jdbcParameters.containsKey("options")
        ? URLDecoder.decode(jdbcParameters.get("options"), StandardCharsets.UTF_8) + " " + SESSION_OPTIONS
        : SESSION_OPTIONS;
    sb.append("&options=").append(URLEncoder.encode(options, StandardCharsets.UTF_8));
    return sb.toString();
  }

  /**
   * Settings of every PostgreSQL session. A client that vanished without closing its connection (a cluster member
   * cut off by a partition, a host that died) must not hold its transaction's locks for the hours TCP takes to
   * notice: the server ends a transaction left idle for a minute, and probes a silent connection after 30 s.
   */
  static final String SESSION_OPTIONS = "-c idle_in_transaction_session_timeout=60000 -c tcp_keepalives_idle=30"
      + " -c tcp_keepalives_interval=10 -c tcp_keepalives_count=3";

  private String hostPort() {
    return (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
  }

  /** Where the data is, for people: a file path, or {@code postgresql://user:***@host:port/db (schema x)}. */
  public String displayLocation() {
    if (dialect == Dialect.SQLITE) {
      return sqliteFile.toString();
    }
    return "postgresql://" + user + ":***@" + hostPort() + "/" + database + " (schema " + schema + ")";
  }

  /** Host and port, for connection errors. */
  public String endpoint() {
    return dialect == Dialect.SQLITE ? sqliteFile.toString() : hostPort() + "/" + database;
  }

  /** The schema as reported in status output: the PostgreSQL schema, or {@code main} for a SQLite file. */
  public String effectiveSchema() {
    return dialect == Dialect.SQLITE ? "main" : schema;
  }

  @Override
  public String toString() {
    return "DatabaseSettings[" + dialect.id() + " " + displayLocation() + "]";
  }
}
