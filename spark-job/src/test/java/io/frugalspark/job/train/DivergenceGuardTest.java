package io.frugalspark.job.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.frugalspark.job.config.ConfigError;
import io.frugalspark.job.config.FrugalConfig;
import io.frugalspark.job.io.CheckpointStore;
import io.frugalspark.job.io.MetricsLog;
import io.frugalspark.model.LlamaModel;
import io.frugalspark.testkit.LocalSpark;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;

/** The divergence guard on a real local SparkContext: stop names the culprit, rollback recovers reproducibly. */
class DivergenceGuardTest {
    private static final String[] TWO_WORKERS = {"train.workers=2", "train.averaging.period=2", "train.steps=12",
        "optimizer.schedule=constant", "checkpoint.every=4"};

    @TempDir
    Path work;

    private static ParameterAveragingTrainer trainer(FrugalConfig c, FaultPlan faults) {
        return new ParameterAveragingTrainer(LocalSpark.context(), c, new PrintStream(new ByteArrayOutputStream()), faults);
    }

    private FrugalConfig config(Path dir, String... more) {
        String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(TWO_WORKERS), java.util.Arrays.stream(more))
                .toArray(String[]::new);
        return TinyCorpus.config(dir, all);
    }

    private static List<Long> committedSteps(Path dir) throws Exception {
        return new CheckpointStore(dir.resolve("ckpt").toString(), new Configuration(), 10).committed().stream()
                .map(CheckpointStore::stepOf).toList();
    }

    /** Three seeded random points (step, worker) of a 12-step run with checkpoints every 4 steps. */
    @Test
    void aNanGradientUnderStopFailsNamingStepWorkerAndTensorAndCommitsNothingAfter() throws Exception {
        java.util.Random points = new java.util.Random(17);
        for (int run = 0; run < 3; run++) {
            int step = 1 + points.nextInt(11);
            int worker = points.nextInt(2);
            Path dir = work.resolve("run" + run);
            ParameterAveragingTrainer t = trainer(config(dir), FaultPlan.nanGradient(step, worker));
            DivergenceError e = assertThrows(DivergenceError.class, () -> t.train(null));
            String first = t.driverReplica().refs().get(0).name();
            assertTrue(e.getMessage().contains("non-finite gradient at step " + step + " on worker " + worker + " in " + first),
                    e.getMessage());
            long roundStart = step - step % 2; // period 2: the diverged round is discarded whole
            List<Long> expected = java.util.stream.LongStream.rangeClosed(1, roundStart / 4).map(k -> 4 * k).boxed().toList();
            assertEquals(expected, committedSteps(dir), "checkpoints up to the diverged round only (step " + step + ")");
        }
    }

    @Test
    void rollbackSkipsThePoisonedWindowLowersTheLrAndAResumeReproducesTheRun() throws Exception {
        String[] rollback = {"guard.policy=rollback", "guard.lr_factor=0.5"};
        ParameterAveragingTrainer whole = trainer(config(work.resolve("whole"), rollback), FaultPlan.nanGradient(5, 1));
        whole.train(null);
        List<Map<String, Object>> rows = MetricsLog.read(work.resolve("whole/metrics/metrics.jsonl"));
        Map<String, Object> event = rows.stream().filter(r -> r.containsKey("rollback")).findFirst().orElseThrow();
        assertEquals(4, ((Number) event.get("step")).intValue(), "back to the checkpoint of step 4");
        assertEquals(4, ((Number) event.get("skipped_from")).intValue());
        assertEquals(2, ((Number) event.get("skipped_steps")).intValue(), "the diverged round's two steps");
        Map<String, Object> lastRow = rows.get(rows.size() - 1);
        assertEquals(12, ((Number) lastRow.get("step")).intValue());
        assertEquals(0.5 * 0.003, ((Number) lastRow.get("lr")).doubleValue(), 1e-15, "lr x lr_factor after the rollback");
        for (INDArray p : whole.driverReplica().model().trainableValues()) {
            assertFalse(BooleanIndexing.or(p, Conditions.notFinite()));
        }
        // The same run to step 8, then resumed to 12: the checkpoint carries the skip and the lr factor.
        trainer(config(work.resolve("parts"), "guard.policy=rollback", "guard.lr_factor=0.5", "train.steps=8"),
                FaultPlan.nanGradient(5, 1)).train(null);
        ParameterAveragingTrainer resumed = trainer(config(work.resolve("parts"), rollback), FaultPlan.NONE);
        resumed.train("latest");
        List<INDArray> a = whole.driverReplica().model().trainableValues();
        List<INDArray> b = resumed.driverReplica().model().trainableValues();
        for (int i = 0; i < a.size(); i++) {
            assertEquals(0.0, a.get(i).sub(b.get(i)).amaxNumber().doubleValue(), "tensor " + i);
        }
    }

    @Test
    void aHugeLrStopsTheRunAndNoCommittedCheckpointHoldsANonFiniteValue() throws Exception {
        FrugalConfig c = TinyCorpus.config(work, "optimizer.preset=adamw", "optimizer.lr=1000", "train.steps=40",
                "train.averaging.period=2", "eval.every=4", "checkpoint.every=4", "checkpoint.keep=20");
        ParameterAveragingTrainer t = trainer(c, FaultPlan.NONE);
        DivergenceError e = assertThrows(DivergenceError.class, () -> t.train(null));
        long at = e.divergence().step();
        assertTrue(at < 40 && e.getMessage().contains("at step " + at), e.getMessage());
        for (long step : committedSteps(work)) {
            assertTrue(step < at, "checkpoint " + step + " is from before the divergence at " + at);
            Path model = work.resolve("ckpt").resolve(String.format("step-%08d", step)).resolve("model.safetensors");
            LlamaModel m = LlamaModel.fromSafetensors(t.spec().modelConfig(), model, DataType.FLOAT);
            for (INDArray p : m.trainableValues()) {
                assertFalse(BooleanIndexing.or(p, Conditions.notFinite()), "checkpoint " + step + " is finite");
            }
        }
    }

    @Test
    void rollbackWithoutCheckpointsIsAKeyNamedError() {
        ConfigError e = assertThrows(ConfigError.class,
                () -> TrainSettings.from(TinyCorpus.config(work, "guard.policy=rollback", "checkpoint.every=0")));
        assertTrue(e.getMessage().startsWith("guard.policy: rollback needs checkpoints"), e.getMessage());
    }

    @Test
    void aCheckpointWithANonFiniteParameterIsNeverCommitted() throws Exception {
        ParameterAveragingTrainer t = trainer(TinyCorpus.config(work), FaultPlan.NONE);
        Replica driver = t.driverReplica();
        TrainSettings ts = t.spec().settings();
        Checkpoints checkpoints = new Checkpoints(new CheckpointStore(work.resolve("ckpt").toString(), new Configuration(), 3), "",
                ts, "train-data", driver, new Controllers(ts, OptimizerFactory.method(ts)), new DivergenceGuard(ts.guard(), 384));
        checkpoints.write(new RunPosition(3, 0, 1, Double.NaN), driver.exportState(Aggregation.CHUNK_BYTES));
        driver.refs().get(2).param().putScalar(1, Float.POSITIVE_INFINITY);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> checkpoints.write(new RunPosition(5, 0, 2, Double.NaN), driver.exportState(Aggregation.CHUNK_BYTES)));
        assertTrue(e.getMessage().contains("parameter " + driver.refs().get(2).name()), e.getMessage());
        assertEquals(List.of(3L), committedSteps(work));
        t.close();
    }
}
