package io.frugalspark.job.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.frugalspark.job.config.FrugalConfig;
import io.frugalspark.job.io.MetricsLog;
import io.frugalspark.testkit.LocalSpark;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * AdaFRUGAL's statistics controllers driving a real run: two workers, the decisions carried in the
 * round plan, every rule firing, and a resume that reproduces the uninterrupted run's decisions.
 */
class StatisticsControllersTest {
    private static final String[] RULES = {"optimizer.preset=adafrugal", "optimizer.adafrugal.selection_rule=importance",
        "optimizer.adafrugal.gap_rule=drift", "optimizer.adafrugal.rho_rule=energy", "optimizer.adafrugal.T_min=2",
        "optimizer.adafrugal.T_max=6", "optimizer.adafrugal.rho_hold=4", "optimizer.adafrugal.drift_fraction=0.95",
        "optimizer.adafrugal.energy_share=0.5", "optimizer.T=4", "train.workers=2", "train.averaging.period=2",
        "train.steps=24", "checkpoint.every=2", "checkpoint.keep=20", "eval.every=8"};

    @TempDir
    Path work;

    private List<Map<String, Object>> rounds(Path dir) throws Exception {
        return MetricsLog.read(dir.resolve("metrics/metrics.jsonl")).stream().filter(r -> r.containsKey("round")).toList();
    }

    private static ParameterAveragingTrainer trainer(FrugalConfig c) {
        return new ParameterAveragingTrainer(LocalSpark.context(), c, new PrintStream(new ByteArrayOutputStream()));
    }

    @Test
    void everyRuleFiresOnTwoWorkersAndAResumeReproducesTheDecisions() throws Exception {
        Path whole = work.resolve("whole");
        trainer(TinyCorpus.config(whole, RULES)).train(null); // two workers whose selections differed would not average
        List<Map<String, Object>> rows = rounds(whole);
        Set<String> fired = new HashSet<>();
        rows.forEach(r -> fired.addAll(((List<?>) r.get("control.rules")).stream().map(Object::toString).toList()));
        assertTrue(fired.containsAll(Set.of("energy_rho", "drift", "importance")), "rules fired: " + fired);
        assertTrue(rows.stream().anyMatch(r -> r.containsKey("control.active")), "a driver-chosen active set");
        Set<Object> rhos = rows.stream().map(r -> r.get("rho")).collect(Collectors.toSet());
        assertTrue(rhos.size() > 1, "energy-targeted rho moved: " + rhos);

        // resume where a decided re-selection is still to be applied: the checkpoint must carry it
        long at = rows.stream().filter(r -> Boolean.TRUE.equals(r.get("control.reselect")) && r.containsKey("control.active"))
                .mapToLong(r -> ((Number) r.get("step")).longValue()).filter(s -> s < 24).findFirst().orElseThrow();
        Path parts = work.resolve("parts");
        trainer(TinyCorpus.config(parts, RULES)).train(null);
        Path keep = parts.resolve(String.format("ckpt/step-%08d", at));
        try (var dirs = Files.list(parts.resolve("ckpt"))) {
            for (Path d : dirs.filter(d -> !d.equals(keep)).toList()) {
                org.apache.commons.io.FileUtils.deleteDirectory(d.toFile());
            }
        }
        trainer(TinyCorpus.config(parts, RULES)).train("latest");
        List<Map<String, Object>> resumed = rounds(parts);
        assertEquals(rows.size(), resumed.size());
        for (int i = 0; i < rows.size(); i++) {
            for (String k : List.of("step", "rho", "T", "train_loss", "control.rules", "control.active", "control.share")) {
                assertEquals(rows.get(i).get(k), resumed.get(i).get(k), "round " + i + " " + k);
            }
        }
    }
}
