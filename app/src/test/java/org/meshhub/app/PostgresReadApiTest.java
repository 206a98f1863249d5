package org.meshhub.app;

import java.util.Map;
import org.meshhub.core.testing.TestDatabases;

class PostgresReadApiTest extends ReadApiContract {
  private static final String SCHEMA = TestDatabases.uniqueSchema(PostgresReadApiTest.class);

  @Override
  void afterServerStopped() {
    TestDatabases.dropSchema(SCHEMA);
  }

  @Override
  Map<String, String> databaseEnv() {
    return TestDatabases.postgresEnvMap(SCHEMA);
  }
}
