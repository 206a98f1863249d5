package org.meshhub.migration.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.meshhub.core.config.SettingsException;
import org.meshhub.core.db.StorageException;
import org.meshhub.migration.testing.MeshCoreHubFixture;
import org.meshhub.migration.testing.MeshCoreHubFixture.Generation;

/** Opening a MeshCore Hub database: its revision recognised, its file never written. */
class HubSourceTest {
  @TempDir
  Path dir;

  @ParameterizedTest
  @EnumSource(Generation.class)
  void everySchemaGenerationIsRecognisedByItsRevisionAndItsTablesCounted(Generation generation) throws Exception {
    Path file = MeshCoreHubFixture.writeSqlite(dir.resolve("meshcore.db"), generation);
    try (HubSource source = HubSource.open(file.toString(), null)) {
      assertEquals(generation.revision(), source.revision().id());
      assertEquals(9, source.count("messages"));
      assertEquals(14, source.observerCounts().get("message"));
      assertTrue(source.columns("messages").contains("packet_hash"));
      assertEquals(generation != Generation.V0_14, source.columns("messages").contains("spam_score"));
      assertEquals("NULL AS no_such_column", source.column("messages", "no_such_column"));
    }
  }

  @Test
  void theFileIsOpenedReadOnlyAndNeverChanged() throws Exception {
    Path file = MeshCoreHubFixture.writeSqlite(dir.resolve("meshcore.db"), Generation.V0_18);
    String before = MeshCoreHubFixture.checksum(file);
    try (HubSource source = HubSource.open("sqlite:///" + file, null); Statement st = source.connection()
        .createStatement()) {
      SQLException refused = assertThrows(SQLException.class, () -> st.execute("DELETE FROM messages"));
      assertTrue(refused.getMessage().contains("readonly") || refused.getMessage().contains("READONLY"),
          refused.getMessage());
    }
    assertEquals(before, MeshCoreHubFixture.checksum(file));
  }

  @Test
  void aRevisionNotReadIsRefusedNamingItAndTheRevisionsThatAre() throws Exception {
    Path file = MeshCoreHubFixture.writeSqlite(dir.resolve("meshcore.db"), Generation.V0_14, "c3d4e5f6a7b8");

    StorageException e = assertThrows(StorageException.class, () -> HubSource.open(file.toString(), null));

    assertTrue(e.isRefusal());
    assertTrue(e.getMessage().startsWith("MeshCore Hub schema version 'c3d4e5f6a7b8' is not one this import reads"),
        e.getMessage());
    for (HubRevision r : HubRevision.values()) {
      assertTrue(e.getMessage().contains(r.id()), "names " + r.id() + ": " + e.getMessage());
    }
  }

  @Test
  void somethingThatIsNeitherAFileNorAPostgresUrlIsABadArgument() {
    SettingsException e = assertThrows(SettingsException.class, () -> HubSource.open("mysql://x/y", null));
    assertEquals(HubSource.ARGUMENT, e.variable());
    SettingsException empty = assertThrows(SettingsException.class, () -> HubSource.open(" ", null));
    assertEquals(HubSource.ARGUMENT, empty.variable());
  }
}
