package org.meshhub.app;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.meshhub.core.testing.TestDatabases;

class SqliteStreamApiTest extends StreamApiContract {
  @TempDir
  static Path dataHome;

  @Override
  Map<String, String> databaseEnv() {
    return TestDatabases.sqliteEnvMap(dataHome);
  }
}
