package org.meshhub.app;

import java.util.Map;
import org.meshhub.core.testing.TestDatabases;

class PostgresStreamApiTest extends StreamApiContract {
  private static final String SCHEMA = TestDatabases.uniqueSchema(PostgresStreamApiTest.class);

  @Override
  Map<String, String> databaseEnv() {
    return TestDatabases.postgresEnvMap(SCHEMA);
  }

  @Override
  void afterServerStopped() {
    TestDatabases.dropSchema(SCHEMA);
  }
}
