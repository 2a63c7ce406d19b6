package io.frugalspark.job.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import io.frugalspark.testkit.SharedFiles;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrugalConfigTest {
    @TempDir
    Path tmp;

    private File write(String text) throws IOException {
        Path f = tmp.resolve("run.conf");
        Files.writeString(f, text);
        return f.toFile();
    }

    @Test
    void fileThenSetsOverrideDefaultsInOrder() throws IOException {
        File f = write("optimizer { lr = 0.02 }\ntrain.steps = 77\n");
        FrugalConfig c = FrugalConfig.load(f, List.of("train.steps=5", "train.steps=9", "data.input=hdfs://nn:8020/c4//x"));
        assertEquals(0.02, c.getDouble("optimizer.lr"));
        assertEquals(9, c.getInt("train.steps"));
        assertEquals("hdfs://nn:8020/c4//x", c.getString("data.input"), "URIs are taken literally, not as HOCON comments");
        assertEquals(FrugalConfig.defaults().getInt("train.workers"), c.getInt("train.workers"));
    }

    @Test
    void unknownKeyInFileNamesKeyAndFile() throws IOException {
        File f = write("optimizer { lr = 0.02, rhoo = 0.5 }\n");
        ConfigError e = assertThrows(ConfigError.class, () -> FrugalConfig.load(f, List.of()));
        assertTrue(e.getMessage().contains("optimizer.rhoo"), e.getMessage());
        assertTrue(e.getMessage().contains(f.getPath()), e.getMessage());
        assertTrue(e.getMessage().contains("optimizer.rho"), "lists the known keys: " + e.getMessage());
    }

    @Test
    void wrongTypeNamesKeyAndSource() throws IOException {
        File f = write("train { steps = \"many\" }\n");
        ConfigError e = assertThrows(ConfigError.class, () -> FrugalConfig.load(f, List.of()));
        assertTrue(e.getMessage().contains("train.steps") && e.getMessage().contains(f.getPath()), e.getMessage());
        ConfigError s = assertThrows(ConfigError.class, () -> FrugalConfig.load(null, List.of("model.sltrain=maybe")));
        assertTrue(s.getMessage().contains("model.sltrain") && s.getMessage().contains("--set"), s.getMessage());
    }

    @Test
    void unknownSetKeyAndMissingFileFail() {
        ConfigError e = assertThrows(ConfigError.class, () -> FrugalConfig.load(null, List.of("nope.x=1")));
        assertTrue(e.getMessage().contains("nope.x"), e.getMessage());
        ConfigError m = assertThrows(ConfigError.class, () -> FrugalConfig.load(new File(tmp.toFile(), "absent.conf"), List.of()));
        assertTrue(m.getMessage().contains("absent.conf"), m.getMessage());
    }

    @Test
    void readmeTableDocumentsEveryKey() throws IOException {
        String readme = Files.readString(SharedFiles.repoRoot().resolve("README.md"));
        for (String key : FrugalConfig.defaults().raw().entrySet().stream().map(java.util.Map.Entry::getKey).toList()) {
            assertTrue(readme.contains("| `" + key + "` |"), "README's config table lacks " + key
                    + " (regenerate it with scripts/config_table.py --write)");
        }
    }

    @Test
    void hashFollowsOnlyTheNamedSections() {
        FrugalConfig a = FrugalConfig.load(null, List.of());
        FrugalConfig b = FrugalConfig.load(null, List.of("train.steps=3"));
        FrugalConfig c = FrugalConfig.load(null, List.of("data.seq_len=128"));
        assertEquals(a.hash("data"), b.hash("data"));
        assertNotEquals(a.hash("data"), c.hash("data"));
    }
}
