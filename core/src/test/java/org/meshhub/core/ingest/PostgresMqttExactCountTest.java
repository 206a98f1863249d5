package org.meshhub.core.ingest;

import org.junit.jupiter.api.AfterAll;
import org.meshhub.core.db.DatabaseSettings;
import org.meshhub.core.testing.TestDatabases;

class PostgresMqttExactCountTest extends MqttExactCountContract {
  private static final String SCHEMA = TestDatabases.uniqueSchema(PostgresMqttExactCountTest.class);

  @AfterAll
  static void drop() {
    TestDatabases.dropSchema(SCHEMA);
  }

  @Override
  DatabaseSettings settings() {
    return DatabaseSettings.fromEnv(TestDatabases.postgresEnv(SCHEMA));
  }
}
