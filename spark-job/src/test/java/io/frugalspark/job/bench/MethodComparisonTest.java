package io.frugalspark.job.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.frugalspark.data.TokenizeJob;
import io.frugalspark.data.TokenizeOptions;
import io.frugalspark.job.config.FrugalConfig;
import io.frugalspark.optim.method.Compared;
import io.frugalspark.testkit.LocalSpark;
import io.frugalspark.testkit.SharedFiles;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The resumable sweep: finished runs are read back, not trained again; the rest waits for a later invocation. */
class MethodComparisonTest {
    @TempDir
    Path work;

    @Test
    void finishedRunsAreReusedAndTheBestPointOfEachSweepIsReported() throws Exception {
        Path tokens = work.resolve("tokens");
        TokenizeJob.run(LocalSpark.context(), TokenizeOptions.builder().input(SharedFiles.repoRoot().resolve("data/corpus/c4-en").toString())
                .output(tokens.toString()).vocabSize(384).seqLen(17).bpeSampleBytes(200_000).build());
        FrugalConfig c = FrugalConfig.load(null, List.of("data.output=" + tokens));
        Compared adamw = MethodComparison.METHODS.get(0);
        Compared galore = MethodComparison.METHODS.stream().filter(m -> m.label().equals("GaLore")).findFirst().orElseThrow();
        assertEquals(3, MethodComparison.grid(adamw).size(), "AdamW has no projectable group: its lrs alone");
        assertEquals(3 * MethodComparison.PROJ_SCALES.length, MethodComparison.grid(galore).size(), "both group lrs");
        double[] ppl = {30, 20, 25};
        List<MethodComparison.Point> points = MethodComparison.grid(adamw);
        for (int i = 0; i < points.size(); i++) {
            Path dir = Files.createDirectories(work.resolve("runs").resolve(points.get(i).name(adamw)));
            Path metrics = Files.writeString(dir.resolve("metrics.jsonl"), "{\"step\":0,\"val_loss\":" + Math.log(ppl[i]) + "}\n");
            new ObjectMapper().writeValue(dir.resolve("result.json").toFile(),
                    new MethodComparison.Outcome(ppl[i], 100 + i, 200 + i, 1000, 10, metrics.toString()));
        }
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Path md = new MethodComparison(LocalSpark.context(), c, work, new PrintStream(log, true), Duration.ZERO)
                .run(cfg -> tokens.toString());
        String table = Files.readString(md);
        String best = points.get(1).lr() + " | - | 20.00 | 101 / 201 | 1,000 | 10 | 3 of 3 |";
        assertTrue(table.contains("| AdamW | " + best), table);
        assertTrue(table.contains("| GaLore | pending | | | | | | 0 of 6 |"), table);
        assertTrue(log.toString().contains("runs pending: run the same command again"), log.toString());
        assertTrue(table.contains("runs pending."), "the header says the table is partial");
    }
}
