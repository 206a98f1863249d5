package org.meshhub.projections;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.meshhub.core.db.DatabaseSettings;
import org.meshhub.core.testing.TestDatabases;

class SqliteLiveFeedTest extends LiveFeedContract {
  @TempDir
  static Path dataHome;

  @Override
  DatabaseSettings settings() {
    return DatabaseSettings.fromEnv(TestDatabases.sqliteEnv(dataHome));
  }
}
