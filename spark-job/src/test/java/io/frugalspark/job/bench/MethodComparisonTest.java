package io.frugalspark.job.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.frugalspark.data.TokenizeJob;
import io.frugalspark.data.TokenizeOptions;
import io.frugalspark.job.config.FrugalConfig;
import io.frugalspark.job.train.OptimizerFactory;
import io.frugalspark.job.train.TrainResult;
import io.frugalspark.optim.method.Compared;
import io.frugalspark.optim.method.Method.Adaptive;
import io.frugalspark.testkit.LocalSpark;
import io.frugalspark.testkit.SharedFiles;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
        Compared galore = row("GaLore");
        assertEquals(3, MethodComparison.grid(adamw).size(), "AdamW has no projectable group: its lrs alone");
        assertFalse(MethodComparison.twoGroups(adamw));
        assertFalse(MethodComparison.twoGroups(row("signSGD")), "every tensor is in signSGD's one group");
        assertTrue(MethodComparison.twoGroups(galore));
        MethodComparison.Point second = MethodComparison.regularLrPoint(galore, new MethodComparison.Point(0.01, -1, 42));
        assertEquals(0.04, second.lr(), 1e-12, "the regular group at 4x");
        assertEquals(0.01 * 0.25, second.lr() * second.projScale(), 1e-12, "GaLore's matrices keep 0.25 x the best lr");
        double[] ppl = {30, 20, 25};
        List<MethodComparison.Point> points = MethodComparison.grid(adamw);
        for (int i = 0; i < points.size(); i++) {
            Path dir = Files.createDirectories(work.resolve("runs").resolve(points.get(i).name(adamw)));
            Path metrics = Files.writeString(dir.resolve("metrics.jsonl"), "{\"step\":0,\"val_loss\":" + Math.log(ppl[i]) + "}\n");
            new ObjectMapper().writeValue(dir.resolve("result.json").toFile(),
                    new MethodComparison.Outcome(ppl[i], 100 + i, 200 + i, 1000, 10, 3, Map.of(), "machine A", metrics.toString()));
        }
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Path md = new MethodComparison(LocalSpark.context(), c, work, new PrintStream(log, true), Duration.ZERO)
                .run(cfg -> tokens.toString());
        String table = Files.readString(md);
        String best = points.get(1).lr() + " | - | 20.00 | 101 / 201 | 3 | 1,000 | 10 | 3 of 3 |";
        assertTrue(table.contains("| AdamW | " + best), table);
        assertTrue(table.contains("| GaLore | pending | | | | | | | 0 of 4 |"), table);
        assertTrue(log.toString().contains("runs pending: run the same command again"), log.toString());
        assertTrue(table.contains("runs pending."), "the header says the table is partial");
        assertTrue(table.contains("Runs from: machine A (3 runs);"), table);
    }

    @Test
    void aRunsReselectionsAndRulesComeFromItsMetricsRows() {
        List<Map<String, Object>> rows = List.of(Map.of("step", 0, "val_loss", 5.0),
                Map.of("round", 0, "optimizer_state_bytes", 100, "reselections", 1, "control.rules", List.of("energy_rho", "drift", "importance")),
                Map.of("round", 1, "optimizer_state_bytes", 300, "reselections", 1, "control.rules", List.of("none")),
                Map.of("round", 2, "optimizer_state_bytes", 200, "reselections", 2, "control.rules", List.of("t_min"),
                        "control.loss_check", "loss_plateau"),
                Map.of("round", 3, "optimizer_state_bytes", 200, "reselections", 3, "control.rules", List.of("drift", "importance"),
                        "control.loss_check", "none"));
        TrainResult r = new TrainResult(40, 5, Math.log(30), 3.3, 4000, 2, 200, "/tmp/m", "/tmp/m/loss.png");
        MethodComparison.Outcome o = MethodComparison.Outcome.of(r, rows);
        assertEquals(200, o.meanStateBytes());
        assertEquals(300, o.peakStateBytes());
        assertEquals("3 (drift 2, energy_rho 1, importance 2, loss_plateau 1, t_min 1)", o.reselectionsAndRules());
        assertEquals(30, o.finalPerplexity(), 1e-9);
    }

    @Test
    void rowsOfOnePresetGetTheirOwnRunsAndTheStatisticsRowItsControls() {
        Compared published = row("AdaFRUGAL");
        Compared statistics = row("AdaFRUGAL (statistics)");
        MethodComparison.Point p = MethodComparison.grid(published).get(0);
        assertNotEquals(p.name(published), p.name(statistics), "two rows of the adafrugal preset must not share a run");
        MethodComparison bench = new MethodComparison(LocalSpark.context(), FrugalConfig.load(null, List.of(
                "optimizer.adafrugal.check_every=100", "optimizer.adafrugal.rho_hold=120")), work,
                new PrintStream(new ByteArrayOutputStream()), Duration.ZERO);
        Adaptive statisticsRun = OptimizerFactory.controls(bench.config(statistics, p, work));
        Adaptive publishedRun = OptimizerFactory.controls(bench.config(published, p, work));
        assertEquals(Adaptive.statistics().rhoRule(), statisticsRun.rhoRule());
        assertEquals(Adaptive.statistics().gapRule(), statisticsRun.gapRule());
        assertEquals(Adaptive.statistics().selectionRule(), statisticsRun.selectionRule());
        assertEquals(publishedRun.withRules(statisticsRun.rhoRule(), statisticsRun.gapRule(), statisticsRun.selectionRule()),
                statisticsRun, "the rows differ in their rules only");
        assertEquals(100, publishedRun.checkEvery(), "the knobs are the bench config's");
        assertEquals(120, statisticsRun.rhoHold());
        assertEquals(Adaptive.published().rhoRule(), publishedRun.rhoRule());
    }

    private static Compared row(String label) {
        return MethodComparison.METHODS.stream().filter(m -> m.label().equals(label)).findFirst().orElseThrow();
    }
}
