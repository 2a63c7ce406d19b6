package io.frugalspark.job.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.frugalspark.data.Manifest;
import io.frugalspark.data.SequenceMode;
import io.frugalspark.data.TokenizeJob;
import io.frugalspark.data.TokenizeOptions;
import io.frugalspark.job.config.FrugalConfig;
import io.frugalspark.job.io.MetricsLog;
import io.frugalspark.model.LossResult;
import io.frugalspark.testkit.LocalSpark;
import io.frugalspark.testkit.SharedFiles;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The round loop on a real local SparkContext against single-process references. */
class ParameterAveragingTrainerTest {
    @TempDir
    Path work;

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream());
    }

    private static ParameterAveragingTrainer trainer(JavaSparkContext sc, FrugalConfig c) {
        return new ParameterAveragingTrainer(sc, c, quiet());
    }

    /** The same steps run directly on one replica: sampler, accumulation, controllers, optimizer. */
    private static List<INDArray> singleProcess(ParameterAveragingTrainer t, int workers) {
        RunScope run = t.runScope();
        TrainSettings s = run.spec().settings();
        Controllers controllers = new Controllers(s, OptimizerFactory.method(s));
        Replica replica = run.spec().newReplica();
        for (long step = 0; step < s.loop().steps(); step++) {
            List<int[][]> mbs = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                mbs.addAll(run.microBatches(run.sampler(w), step));
            }
            replica.accumulateGradients(mbs, run.spec().padId());
            double[] rho = controllers.adaptiveRho() ? new double[] {controllers.rho(step)} : null;
            replica.step(new RoundPlan(0, step, new double[] {controllers.lr(step)}, rho, controllers.updateGap(), null, 0, false), 0);
        }
        return replica.model().trainableValues();
    }

    private static void assertParamsEqual(List<INDArray> expected, List<INDArray> actual, double tol) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            INDArray diff = expected.get(i).sub(actual.get(i));
            double max = diff.amaxNumber().doubleValue();
            assertTrue(max <= tol, "tensor " + i + " differs by " + max);
        }
    }

    @Test
    void oneWorkerWithPeriodKIsExactlyTheSingleProcessRun() throws Exception {
        ParameterAveragingTrainer t = trainer(LocalSpark.context(), TinyCorpus.config(work,
                "optimizer.T=3", "train.averaging.period=4"));
        t.train(null);
        List<INDArray> reference = singleProcess(t, 1);
        assertParamsEqual(reference, t.driverReplica().model().trainableValues(), 0.0);
    }

    /** svd bases built on the driver from the workers' averaged gradients equal the optimizer's own. */
    @Test
    void oneWorkerWithDriverBuiltSvdSelectionsIsExactlyTheSingleProcessRun() throws Exception {
        for (String preset : new String[] {"frugal-svd", "galore"}) {
            ParameterAveragingTrainer t = trainer(LocalSpark.context(), TinyCorpus.config(work.resolve(preset),
                    "optimizer.preset=" + preset, "optimizer.T=3", "train.averaging.period=4"));
            t.train(null);
            assertParamsEqual(singleProcess(t, 1), t.driverReplica().model().trainableValues(), 0.0);
        }
    }

    @Test
    void twoWorkersAveragingEveryStepWithSgdEqualSgdOnTheUnionBatch() throws Exception {
        ParameterAveragingTrainer t = trainer(LocalSpark.context(), TinyCorpus.config(work,
                "optimizer.preset=sgd", "optimizer.lr=0.5", "optimizer.schedule=constant",
                "train.workers=2", "train.global_batch=4", "train.micro_batch=2", "train.averaging.period=1", "train.steps=3"));
        List<INDArray> before = t.driverReplica().model().trainableValues().stream().map(INDArray::dup).toList();
        t.train(null);
        List<INDArray> after = t.driverReplica().model().trainableValues();
        assertTrue(after.get(0).sub(before.get(0)).amaxNumber().doubleValue() > 1e-4, "training moved the weights");
        assertParamsEqual(singleProcess(t, 2), after, 2e-6);
    }

    @Test
    void averagingOnTheExecutorsByChunkEqualsAveragingOnTheDriver() throws Exception {
        String[] sets = {"train.workers=2", "train.averaging.period=2", "optimizer.preset=adamw"};
        ParameterAveragingTrainer onDriver = trainer(LocalSpark.context(), TinyCorpus.config(work.resolve("d"), sets));
        onDriver.train(null);
        String[] shuffled = java.util.Arrays.copyOf(sets, sets.length + 1);
        shuffled[sets.length] = "train.aggregate=executors";
        ParameterAveragingTrainer onExecutors = trainer(LocalSpark.context(), TinyCorpus.config(work.resolve("e"), shuffled));
        onExecutors.train(null);
        assertParamsEqual(onDriver.driverReplica().model().trainableValues(),
                onExecutors.driverReplica().model().trainableValues(), 0.0);
        List<Map<String, Object>> a = MetricsLog.read(work.resolve("d/metrics/metrics.jsonl"));
        List<Map<String, Object>> b = MetricsLog.read(work.resolve("e/metrics/metrics.jsonl"));
        assertEquals(a.get(a.size() - 1).get("val_loss"), b.get(b.size() - 1).get("val_loss"));
    }

    @Test
    void everyOptimizerPresetTrainsOnTwoWorkersWithDenseAndSLTrainModels() throws Exception {
        for (String preset : io.frugalspark.optim.Presets.names()) {
            for (boolean sltrain : new boolean[] {false, true}) {
                Path dir = work.resolve(preset + "-" + sltrain);
                ParameterAveragingTrainer t = trainer(LocalSpark.context(), TinyCorpus.config(dir, "optimizer.preset=" + preset,
                        "model.sltrain=" + sltrain, "train.workers=2", "train.steps=4", "train.averaging.period=2",
                        "optimizer.T=2", "optimizer.lr=0.001"));
                TrainResult r = t.train(null);
                assertTrue(Double.isFinite(r.finalValLoss()), preset + " sltrain=" + sltrain + " diverged");
                assertTrue(r.finalValLoss() < r.initialValLoss(), preset + " sltrain=" + sltrain + " did not lower the loss: "
                        + r.initialValLoss() + " -> " + r.finalValLoss());
            }
        }
    }

    @Test
    void resumeFromACheckpointContinuesWithIdenticalMetrics() throws Exception {
        FrugalConfig full = TinyCorpus.config(work, "checkpoint.every=4", "eval.every=4", "train.averaging.period=2");
        trainer(LocalSpark.context(), full).train(null);
        List<Map<String, Object>> uninterrupted = MetricsLog.read(work.resolve("metrics/metrics.jsonl"));
        Path stepFour = work.resolve("ckpt/step-00000004");
        assertTrue(Files.exists(stepFour.resolve("_COMMITTED")));

        Path resumedWork = work.resolve("resumed");
        FrugalConfig again = TinyCorpus.config(resumedWork, "checkpoint.every=4", "eval.every=4", "train.averaging.period=2");
        trainer(LocalSpark.context(), again).train(stepFour.toString());
        List<Map<String, Object>> resumed = MetricsLog.read(resumedWork.resolve("metrics/metrics.jsonl"));
        List<Map<String, Object>> tail = uninterrupted.stream()
                .filter(r -> ((Number) r.get("step")).longValue() > 4).toList();
        assertEquals(tail.size(), resumed.size());
        for (int i = 0; i < tail.size(); i++) {
            for (String key : List.of("step", "tokens", "train_loss", "lr", "val_loss", "stats.total.statefull.grad_sq")) {
                assertEquals(tail.get(i).get(key), resumed.get(i).get(key), key + " of round " + i);
            }
        }
    }

    @Test
    void resumeWithOtherWorkersSeedOrDataIsRefusedByKeyUnlessReshardingIsAsked() throws Exception {
        trainer(LocalSpark.context(), TinyCorpus.config(work, "checkpoint.every=4", "train.steps=4")).train(null);
        String stepFour = work.resolve("ckpt/step-00000004").toString();
        for (String[] change : new String[][] {{"train.workers=2", "train.workers"}, {"train.seed=8", "train.seed"}}) {
            FrugalConfig other = TinyCorpus.config(work.resolve("other"), change[0], "train.steps=8");
            io.frugalspark.job.config.ConfigError e = org.junit.jupiter.api.Assertions.assertThrows(
                    io.frugalspark.job.config.ConfigError.class, () -> trainer(LocalSpark.context(), other).train(stepFour));
            assertTrue(e.getMessage().startsWith(change[1] + ": checkpoint "), e.getMessage());
            assertTrue(e.getMessage().contains("train.reshard=true"), e.getMessage());
        }
        // the same sequences under another manifest: shards whose recorded hashes differ (a re-tokenized corpus)
        Path other = work.resolve("other-tokens");
        try (java.util.stream.Stream<Path> files = Files.walk(TinyCorpus.tokens())) {
            for (Path f : files.toList()) {
                Files.copy(f, other.resolve(TinyCorpus.tokens().relativize(f).toString()));
            }
        }
        Path manifest = other.resolve(Manifest.FILE_NAME);
        Files.deleteIfExists(other.resolve("." + Manifest.FILE_NAME + ".crc")); // Hadoop's local checksum of the old bytes
        Files.writeString(manifest, Files.readString(manifest).replaceAll("\"sha256\" : \"[0-9a-f]{64}\"", "\"sha256\" : \"" + "0".repeat(64) + "\""));
        trainer(LocalSpark.context(), TinyCorpus.config(work.resolve("o"), "data.output=" + other, "checkpoint.every=4", "train.steps=4"))
                .train(null);
        io.frugalspark.job.config.ConfigError data = org.junit.jupiter.api.Assertions.assertThrows(io.frugalspark.job.config.ConfigError.class,
                () -> trainer(LocalSpark.context(), TinyCorpus.config(work.resolve("data"), "train.steps=8"))
                        .train(work.resolve("o/ckpt/step-00000004").toString()));
        assertTrue(data.getMessage().startsWith("data.output: checkpoint "), data.getMessage());
        TrainResult r = trainer(LocalSpark.context(), TinyCorpus.config(work.resolve("resharded"), "train.workers=2",
                "train.steps=8", "train.reshard=true")).train(stepFour);
        assertEquals(8, r.steps());
    }

    @Test
    void aTaskFailedMidRunIsRetriedAndTheResultIsUnchanged() throws Exception {
        TinyCorpus.tokens(); // before switching masters: it uses the default context
        JavaSparkContext retrying = LocalSpark.context("local[2,2]");
        try {
            FrugalConfig c = TinyCorpus.config(work, "train.workers=2", "train.averaging.period=2");
            ParameterAveragingTrainer clean = trainer(retrying, c);
            clean.train(null);
            ParameterAveragingTrainer failing = new ParameterAveragingTrainer(retrying,
                    TinyCorpus.config(work.resolve("again"), "train.workers=2", "train.averaging.period=2"), quiet(), FaultPlan.failFirstAttemptOfRound(1));
            failing.train(null);
            assertParamsEqual(clean.driverReplica().model().trainableValues(), failing.driverReplica().model().trainableValues(), 0.0);
        } finally {
            LocalSpark.context();
        }
    }

    @Test
    void adaFrugalControllersChangeRhoAndTWithinOneRun() throws Exception {
        // A tiny lr keeps the validation loss flat, so the loss-aware T grows at every check; the checks
        // fall every check_every steps although eval.every asks for no evaluation before the end.
        FrugalConfig c = TinyCorpus.config(work, "optimizer.preset=adafrugal", "optimizer.lr=1e-7",
                "optimizer.schedule=constant", "train.steps=12", "train.averaging.period=2", "eval.every=0",
                "optimizer.adafrugal.check_every=2");
        trainer(LocalSpark.context(), c).train(null);
        List<Map<String, Object>> rows = MetricsLog.read(work.resolve("metrics/metrics.jsonl")).stream()
                .filter(r -> r.containsKey("rho")).toList();
        double firstRho = ((Number) rows.get(0).get("rho")).doubleValue();
        double lastRho = ((Number) rows.get(rows.size() - 1).get("rho")).doubleValue();
        assertEquals(0.25 - 0.20 * 2 / 12, firstRho, 1e-12, "rho(s) at the first round's last step s = 2");
        assertEquals(0.05, lastRho, 1e-12, "rho reaches its end value at the last step");
        List<Integer> gaps = rows.stream().map(r -> ((Number) r.get("T")).intValue()).distinct().toList();
        assertEquals(List.of(100, 150, 225, 338, 507), gaps.subList(0, 5), "the T ladder");
    }

    @Test
    void gradientAccumulationEqualsOneLargeBatchWithPadding() {
        ParameterAveragingTrainer t = trainer(LocalSpark.context(), TinyCorpus.config(work));
        RunScope run = t.runScope();
        RunSpec spec = run.spec();
        int[][] a = run.batch(Manifest.TRAIN, new long[] {0, 1});
        int[][] b = run.batch(Manifest.TRAIN, new long[] {2});
        for (int i = 9; i < a[1].length; i++) {
            a[1][i] = spec.padId(); // unequal target counts: the weights must follow them
        }
        Replica r = spec.newReplica();
        LossResult split = r.accumulateGradients(List.of(a, b), spec.padId());
        List<INDArray> accumulated = r.refs().stream().map(p -> p.grad().dup()).toList();
        LossResult whole = r.accumulateGradients(List.<int[][]>of(new int[][] {a[0], a[1], b[0]}), spec.padId());
        assertEquals(whole.count(), split.count());
        assertEquals(whole.mean(), split.mean(), 1e-6);
        assertParamsEqual(r.refs().stream().map(p -> (INDArray) p.grad()).toList(), accumulated, 1e-6);
        assertNotEquals(0.0, accumulated.get(0).amaxNumber().doubleValue());
    }

    /** Document mode pads, so workers count different targets: the averages must weigh by them. */
    @Test
    void twoWorkersAveragingSgdEveryStepInDocumentModeEqualSingleProcessSgdOnTheUnionBatch() throws Exception {
        Path tokens = work.resolve("document-tokens");
        TokenizeJob.run(LocalSpark.context(), TokenizeOptions.builder()
                .input(SharedFiles.repoRoot().resolve("data/corpus/c4-en").toString()).output(tokens.toString())
                .vocabSize(TinyCorpus.VOCAB).seqLen(1025).mode(SequenceMode.DOCUMENT).bpeSampleBytes(200_000).build());
        ParameterAveragingTrainer t = trainer(LocalSpark.context(), TinyCorpus.config(work, "data.output=" + tokens,
                "optimizer.preset=sgd", "optimizer.lr=0.5", "optimizer.schedule=constant", "train.workers=2",
                "train.averaging.period=1", "train.steps=3"));
        RunScope run = t.runScope();
        long[] targets = new long[2];
        for (int w = 0; w < 2; w++) {
            for (int[] row : run.microBatches(run.sampler(w), 0).get(0)) {
                targets[w] += java.util.Arrays.stream(row, 1, row.length).filter(id -> id != run.spec().padId()).count();
            }
        }
        assertNotEquals(targets[0], targets[1], "the workers' first batches count different targets");
        t.train(null);
        assertParamsEqual(singleProcess(t, 2), t.driverReplica().model().trainableValues(), 1e-6);
    }
}
