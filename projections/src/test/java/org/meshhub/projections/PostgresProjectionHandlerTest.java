package org.meshhub.projections;

import org.meshhub.core.db.DatabaseSettings;
import org.meshhub.core.testing.TestDatabases;

class PostgresProjectionHandlerTest extends ProjectionHandlerContract {
  private static final String SCHEMA = TestDatabases.uniqueSchema(PostgresProjectionHandlerTest.class);

  @Override
  DatabaseSettings settings() {
    return DatabaseSettings.fromEnv(TestDatabases.postgresEnv(SCHEMA));
  }

  @Override
  void afterClose() {
    TestDatabases.dropSchema(SCHEMA);
  }
}
