package io.frugalspark.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.frugalspark.optim.conformance.ConformanceRunner;
import io.frugalspark.optim.conformance.VectorsError;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The recorded reference runs replay at ALGORITHMS.md section 13's tolerances; bad files fail clearly. */
class ConformanceTest {
    static final Path VECTORS = Path.of(System.getProperty("shared.dir", "../../shared"), "reference", "frugal-vectors.json");

    @Test
    void everySharedScenarioAndScheduleTablePasses() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ConformanceRunner.Result r = ConformanceRunner.run(VECTORS, new PrintStream(buf, true, StandardCharsets.UTF_8));
        String out = buf.toString(StandardCharsets.UTF_8);
        assertEquals(0, r.failed(), out);
        assertEquals(14, r.passed(), out); // 12 scenarios + 2 lr_lambda tables
        assertTrue(out.endsWith("14 passed, 0 failed" + System.lineSeparator()), out);
    }

    @Test
    void aWrongRecordedValueFails(@TempDir Path dir) throws Exception {
        ObjectNode root = (ObjectNode) new ObjectMapper().readTree(VECTORS.toFile());
        ObjectNode step = (ObjectNode) root.withArray("scenarios").get(8).withArray("steps").get(4);
        ArrayNode row = (ArrayNode) step.with("params_after").withArray("P0").get(0);
        row.set(0, row.get(0).asDouble() + 1e-9);
        ConformanceRunner.Result r = ConformanceRunner.run(write(dir, root), new PrintStream(new ByteArrayOutputStream()));
        assertEquals(1, r.failed());
    }

    @Test
    void unknownOptimizerClassNamesScenarioAndField(@TempDir Path dir) throws Exception {
        ObjectNode root = (ObjectNode) new ObjectMapper().readTree(VECTORS.toFile());
        ((ObjectNode) root.withArray("scenarios").get(2)).put("optimizer_class", "GaloreRMSprop");
        VectorsError e = assertThrows(VectorsError.class, () -> ConformanceRunner.run(write(dir, root), new PrintStream(new ByteArrayOutputStream())));
        assertTrue(e.getMessage().contains("galore_svd_sgd") && e.getMessage().contains("optimizer_class")
                && e.getMessage().contains("GaloreRMSprop"), e.getMessage());
    }

    @Test
    void missingFieldNamesScenarioAndPath(@TempDir Path dir) throws Exception {
        ObjectNode root = (ObjectNode) new ObjectMapper().readTree(VECTORS.toFile());
        ((ObjectNode) root.withArray("scenarios").get(5).withArray("steps").get(2)).remove("grads");
        VectorsError e = assertThrows(VectorsError.class, () -> ConformanceRunner.run(write(dir, root), new PrintStream(new ByteArrayOutputStream())));
        assertEquals("scenario 'coord_columns_signsgd': missing field 'steps[2].grads'", e.getMessage());
    }

    private static Path write(Path dir, ObjectNode root) throws Exception {
        Path f = dir.resolve("vectors.json");
        Files.writeString(f, new ObjectMapper().writeValueAsString(root));
        return f;
    }
}
