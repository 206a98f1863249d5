package org.meshhub.core.db;

/**
 * The one seam between MeshHub and a database product. Everything that differs between SQLite and PostgreSQL
 * (driver, Slick profile, projection dialect, migration scripts) is read from here, so that another product
 * (MariaDB) is one more constant and one more folder of migrations.
 */
public enum Dialect {
  SQLITE("sqlite", "org.sqlite.JDBC", "slick.jdbc.SQLiteProfile$", "h2-dialect"),
  POSTGRESQL("postgresql", "org.postgresql.Driver", "slick.jdbc.PostgresProfile$", "postgres-dialect");

  private final String id;
  private final String driverClass;
  private final String slickProfile;
  private final String projectionDialect;

  Dialect(String id, String driverClass, String slickProfile, String projectionDialect) {
    this.id = id;
    this.driverClass = driverClass;
    this.slickProfile = slickProfile;
    this.projectionDialect = projectionDialect;
  }

  /** The name used in output, in the API and in the migration folder: {@code sqlite} or {@code postgresql}. */
  public String id() {
    return id;
  }

  public String driverClass() {
    return driverClass;
  }

  public String slickProfile() {
    return slickProfile;
  }

  /** pekko-projection-jdbc has no SQLite dialect; its H2 dialect's SQL runs on SQLite. */
  public String projectionDialect() {
    return projectionDialect;
  }

  /** Classpath folder holding this dialect's versioned schema migrations. */
  public String migrationFolder() {
    return "db/migration/" + id;
  }
}
