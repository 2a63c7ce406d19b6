package io.frugalspark.job.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.frugalspark.job.config.FrugalConfig;
import io.frugalspark.job.io.MetricsLog;
import io.frugalspark.testkit.LocalSpark;
import io.frugalspark.testkit.SharedFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every paper preset in conf/paper holds the recipe of ALGORITHMS.md section 11 for its size and
 * method, and runs one round on the tiny stand-in (only model, batch, steps, eval budget and paths
 * overridden).
 */
class PresetConfTest {
    private static final Map<String, Integer> STEPS = Map.of(
            "llama-60m", 10_000, "llama-130m", 20_000, "llama-350m", 60_000, "llama-1b", 100_000);
    private static final Map<String, Double> LR = Map.of("galore", 0.01, "sinkgd", 0.02, "sltrain", 0.003);
    private static final List<String> METHODS = List.of(
            "adamw", "frugal", "frugal-rho0", "galore", "badam", "adafrugal", "sinkgd", "sltrain");

    static Stream<Path> presets() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(SharedFiles.repoRoot().resolve("conf/paper"))) {
            files = s.filter(p -> p.toString().endsWith(".conf")).sorted().toList();
        }
        assertEquals(STEPS.size() * METHODS.size(), files.size(), "one preset per size and method: " + files);
        return files.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("presets")
    void holdsThePapersRecipeAndRunsOneRound(Path file, @TempDir Path work) throws IOException {
        String name = file.getFileName().toString().replace(".conf", "");
        String size = STEPS.keySet().stream().filter(s -> name.startsWith(s + "-")).findFirst().orElseThrow();
        String method = name.substring(size.length() + 1);
        assertTrue(METHODS.contains(method), method);

        FrugalConfig paper = FrugalConfig.load(file.toFile(), List.of());
        assertEquals(size, paper.getString("model.preset"));
        assertEquals(method.equals("sltrain") ? "adamw" : method, paper.getString("optimizer.preset"));
        assertEquals(method.equals("sltrain"), paper.getBoolean("model.sltrain"));
        assertEquals(LR.getOrDefault(method, 0.001), paper.getDouble("optimizer.lr"));
        assertEquals(STEPS.get(size), paper.getInt("train.steps"));
        assertEquals(512, paper.getInt("train.global_batch"));
        assertEquals(0, 512 % (paper.getInt("train.workers") * paper.getInt("train.micro_batch")));
        assertEquals("cosine", paper.getString("optimizer.schedule"));
        assertEquals(0.1, paper.getDouble("optimizer.warmup_fraction"));
        assertEquals(0.1, paper.getDouble("optimizer.min_lr_ratio"));
        assertEquals(256, paper.getInt("data.seq_len"));
        assertEquals("document", paper.getString("data.mode"));
        assertEquals(32000, paper.getInt("data.vocab_size"));
        assertEquals(10_000_000, paper.getLong("eval.tokens"));
        assertTrue(paper.getString("metrics.dir").contains(name) && paper.getString("checkpoint.dir").contains(name));
        if (method.startsWith("frugal") || method.equals("galore") || method.equals("badam") || method.equals("adafrugal")) {
            assertEquals(method.equals("frugal-rho0") ? 0.0 : 0.25, paper.getDouble("optimizer.rho"));
            assertEquals(method.equals("adafrugal") ? 100 : 200, paper.getInt("optimizer.T"));
        }

        FrugalConfig tiny = FrugalConfig.load(file.toFile(), List.of(
                "model.preset=tiny", "train.workers=1", "train.global_batch=2", "train.micro_batch=2",
                "train.steps=1", "eval.tokens=256", "data.output=" + TinyCorpus.tokens(),
                "checkpoint.dir=" + work.resolve("ckpt"), "metrics.dir=" + work.resolve("metrics")));
        TrainResult r = new ParameterAveragingTrainer(LocalSpark.context(), tiny,
                new PrintStream(OutputStream.nullOutputStream())).train(null);
        assertEquals(1, r.steps());
        assertTrue(Double.isFinite(r.finalTrainLoss()) && Double.isFinite(r.finalValLoss()), r.toString());
        Map<String, Object> last = MetricsLog.read(r.metrics(), new org.apache.hadoop.conf.Configuration()).get(1);
        assertEquals(1, ((Number) last.get("step")).intValue());
        TrainSettings ts = TrainSettings.from(tiny);
        io.frugalspark.optim.method.Method m = OptimizerFactory.method(ts);
        if (!m.adaptive()) { // AdaFRUGAL's one step already runs at the schedule's rho, not the preset's
            long fromShapes = m.stateBytes(ModelShapes.of(ModelFactory.config(ts, TinyCorpus.VOCAB, TinyCorpus.SEQ_LEN)),
                    Float.BYTES, ts.loop().seed());
            assertEquals(fromShapes, ((Number) last.get("optimizer_state_bytes")).longValue(), "measured state = the descriptor's");
        }
    }

    /**
     * Optimizer-state memory orders as ALGORITHMS.md section 12 says, at each preset's own size (from
     * shapes: the 1B model is never allocated); every preset is read, whatever else was filtered.
     */
    @org.junit.jupiter.api.Test
    void stateMemoryFollowsTheMethodsAtEverySize() throws IOException {
        Map<String, Long> state = new java.util.HashMap<>();
        for (Path file : presets().toList()) {
            TrainSettings ts = TrainSettings.from(FrugalConfig.load(file.toFile(), List.of()));
            state.put(file.getFileName().toString().replace(".conf", ""), OptimizerFactory.method(ts).stateBytes(
                    ModelShapes.of(ModelFactory.config(ts, 32000, 256)), Float.BYTES, ts.loop().seed()));
        }
        for (String size : STEPS.keySet()) {
            long adamw = state.get(size + "-adamw");
            long frugal = state.get(size + "-frugal");
            long rho0 = state.get(size + "-frugal-rho0");
            assertTrue(adamw > frugal && frugal > rho0 && rho0 > 0, size + ": " + state);
            assertEquals(rho0, state.get(size + "-sinkgd"), size + ": SinkGD keeps AdamW state for regular tensors only");
            assertEquals(frugal, state.get(size + "-badam"), size + ": BAdam holds the same number of equal blocks");
            assertTrue(state.get(size + "-galore") < adamw && state.get(size + "-galore") > rho0, size + ": " + state);
            assertTrue(state.get(size + "-sltrain") < adamw, size + ": " + state);
        }
        assertTrue(state.get("llama-1b-adamw") > 4 * state.get("llama-60m-adamw"), "sizes differ: " + state);
    }
}
