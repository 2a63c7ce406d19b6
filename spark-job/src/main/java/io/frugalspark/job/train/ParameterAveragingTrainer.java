package io.frugalspark.job.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.frugalspark.data.Manifest;
import io.frugalspark.job.config.ConfigError;
import io.frugalspark.job.config.FrugalConfig;
import io.frugalspark.job.io.CheckpointStore;
import io.frugalspark.job.io.LossPlot;
import io.frugalspark.job.io.MetricsLog;
import io.frugalspark.model.LossResult;
import io.frugalspark.optim.ParamRef;
import io.frugalspark.optim.StepStats;
import io.frugalspark.optim.method.Method;
import io.frugalspark.optim.state.Selection;
import io.frugalspark.optim.state.StateCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The driver of parameter-averaging training: each round broadcasts parameters, optimizer state and
 * the round's plan, lets every worker run {@code averaging.period} local steps, averages what comes
 * back in worker order (so runs are reproducible), runs the controllers, evaluates, checkpoints and
 * logs. This is the Java API entry point: it takes an existing {@link JavaSparkContext} (Zeppelin,
 * spark-submit, tests) and never stops it.
 */
public final class ParameterAveragingTrainer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final JavaSparkContext sc;
    private final FrugalConfig config;
    private final TrainSettings s;
    private final PrintStream console;
    private final RunSpec spec;
    private final Broadcast<RunScope> scope;
    /** Identity of the training data: a SHA-256 over the train split's shard hashes, in order. */
    private final String trainData;
    private final Method method;
    private final Controllers controllers;
    private final Replica driver;
    private final JavaRDD<Integer> workers;
    /** The optimizer state the replicas share, as the round's chunks (head first): never decoded whole between rounds. */
    private List<byte[]> state;
    private long step;
    private long tokens;
    private long round;
    private double initialValLoss = Double.NaN;
    private long workerStateBytes;

    public ParameterAveragingTrainer(JavaSparkContext sc, FrugalConfig config, PrintStream console) {
        this(sc, config, console, FaultPlan.NONE);
    }

    /** A trainer whose run injects {@code faults} into itself (fault tests and drills). */
    ParameterAveragingTrainer(JavaSparkContext sc, FrugalConfig config, PrintStream console, FaultPlan faults) {
        this.sc = sc;
        this.config = config;
        this.s = TrainSettings.from(config);
        this.console = console;
        this.method = validate(s);
        Manifest manifest = Manifest.read(s.tokensDir(), sc.hadoopConfiguration());
        this.spec = RunSpec.of(UUID.randomUUID().toString(), s, manifest, faults);
        this.scope = sc.broadcast(new RunScope(spec));
        this.trainData = manifest.split(Manifest.TRAIN).shardsDigest();
        this.controllers = new Controllers(s, method);
        this.driver = spec.newReplica();
        this.state = Chunks.ofState(driver.optimizer().state(), Aggregation.CHUNK_BYTES);
        this.workers = sc.parallelize(IntStream.range(0, s.workers()).boxed().toList(), s.workers());
    }

    /** Checks what a run needs from the config (batch arithmetic, presets) before any Spark or I/O work. */
    public static void validate(FrugalConfig config) {
        validate(TrainSettings.from(config));
    }

    private static Method validate(TrainSettings s) {
        ModelFactory.config(s, 2, 2);
        return OptimizerFactory.method(s);
    }

    public RunSpec spec() {
        return spec;
    }

    public Replica driverReplica() {
        return driver;
    }

    /** The run's executor-side caches (in local mode the driver's own copy): data views for single-process checks. */
    RunScope runScope() {
        return scope.value();
    }

    /** Frees the run's replicas on every executor; later work (an evaluation) builds them again. */
    public void releaseExecutors() {
        Broadcast<RunScope> run = scope; // not this: the trainer is not serializable
        sc.setJobDescription("frugal release of run " + spec.runId());
        workers.foreach(w -> run.value().release());
    }

    /** Releases the executors and drops the run's broadcast; the trainer is unusable afterwards. */
    @Override
    public void close() {
        releaseExecutors();
        scope.destroy();
    }

    /**
     * Trains to {@code train.steps}. {@code resume}: null for a fresh run, "latest" (fresh when no
     * checkpoint exists) or a checkpoint directory.
     */
    public TrainResult train(String resume) throws IOException {
        CheckpointStore store = new CheckpointStore(s.checkpointDir(), sc.hadoopConfiguration(), s.checkpointKeep(), console::println);
        boolean resumed = resume != null && restore(store, resume);
        Path metricsFile = Path.of(s.metricsDir(), "metrics.jsonl");
        if (resumed) {
            truncateMetricsAfter(metricsFile, step);
        }
        Progress progress = new Progress(console, s.steps(), step);
        double lastVal = Double.NaN;
        double lastTrain = Double.NaN;
        try (MetricsLog metrics = new MetricsLog(metricsFile, resumed)) {
            if (!resumed) {
                initialValLoss = evaluate();
                lastVal = initialValLoss;
                metrics.write(Map.of("step", 0, "tokens", 0, "val_loss", initialValLoss, "val_ppl", Math.exp(initialValLoss)));
                console.printf("step 0: validation loss %.4f (perplexity %.2f)%n", initialValLoss, Math.exp(initialValLoss));
            }
            while (step < s.steps()) {
                Map<String, Object> record = runRound(plan());
                lastTrain = (double) record.get("train_loss");
                if (evalDue()) {
                    lastVal = evaluate();
                    controllers.observeValidationLoss(lastVal);
                    record.put("val_loss", lastVal);
                    record.put("val_ppl", Math.exp(lastVal));
                }
                if (checkpointDue()) {
                    record.put("checkpoint", checkpoint(store).toString());
                }
                metrics.write(record);
                progress.update(step, tokens, lastTrain, lastVal);
            }
        } finally {
            releaseExecutors(); // the run's replicas leave the executors with it
        }
        Path plot = Path.of(s.metricsDir(), "loss.png");
        LossPlot.render(Map.of(s.optimizerPreset(), metricsFile), plot, "frugal-spark: " + s.modelPreset() + " / " + s.optimizerPreset());
        return new TrainResult(step, initialValLoss, lastVal, lastTrain, tokens, progress.seconds(),
                workerStateBytes, metricsFile, plot);
    }

    /** Loads a committed checkpoint ("latest" or a directory) without training; false if none exists. */
    public boolean restoreFrom(String which) throws IOException {
        return restore(new CheckpointStore(s.checkpointDir(), sc.hadoopConfiguration(), s.checkpointKeep(), console::println), which);
    }

    /** Validation loss (token-weighted mean over the eval budget) of the current parameters. */
    public double evaluate() {
        sc.setJobDescription("frugal eval at step " + step);
        Broadcast<List<byte[]>> params = sc.broadcast(paramChunks());
        try {
            List<double[]> parts = workers.mapPartitionsWithIndex(new EvalTask(scope, params), false).collect();
            LossResult total = new LossResult(0, 0);
            for (double[] r : parts) {
                total = total.plus(new LossResult(r[0], (long) r[1]));
            }
            return total.mean();
        } finally {
            params.destroy();
        }
    }

    private RoundPlan plan() {
        long end = Math.min(s.steps(), step + s.period());
        end = Math.min(end, nextMultiple(step, s.evalEvery()));
        end = Math.min(end, nextMultiple(step, s.checkpointEvery()));
        Selection selection = null;
        // A gradient-dependent selection (svd) falls on a round's first step, where the driver builds it
        // from the averaged gradients; the round ends before the next one.
        if (method.selectionNeedsGradients()) {
            int gap = controllers.updateGap();
            long until = method.stepsUntilReselection(Chunks.head(state), gap);
            if (until == 0) {
                driver.optimizer().load(Chunks.toState(state));
                selection = driver.optimizer().computeSelection(averagedGradients());
                until = gap;
            }
            end = Math.min(end, step + until);
        }
        int n = (int) (end - step);
        double[] lr = new double[n];
        double[] rho = controllers.adaptiveRho() ? new double[n] : null;
        for (int i = 0; i < n; i++) {
            lr[i] = controllers.lr(step + i);
            if (rho != null) {
                rho[i] = controllers.rho(step + i);
            }
        }
        return new RoundPlan(round++, step, lr, rho, controllers.updateGap(), selection);
    }

    private List<ParamRef> averagedGradients() {
        sc.setJobDescription("frugal selection gradients at step " + step);
        List<byte[]> chunks = paramChunks();
        Broadcast<List<byte[]>> params = sc.broadcast(chunks);
        try {
            Aggregation agg = new Aggregation(chunks.size());
            Map<Integer, byte[]> merged = agg.run(workers.mapPartitionsToPair(new GradientTask(scope, params, step)),
                    onExecutors(), s.workers());
            List<INDArray> mean = Chunks.toTensors(agg.params(merged));
            List<ParamRef> refs = driver.refs();
            for (int i = 0; i < refs.size(); i++) {
                refs.get(i).grad().assign(mean.get(i));
            }
            return refs;
        } finally {
            params.destroy();
        }
    }

    private List<byte[]> paramChunks() {
        return Chunks.ofTensors(driver.model().trainableValues(), Aggregation.CHUNK_BYTES);
    }

    /** Where to average: train.aggregate, with "auto" judged by what every worker sends back. */
    private boolean onExecutors() {
        long bytes = driver.model().trainableValues().stream().mapToLong(a -> a.length() * a.dataType().width()).sum();
        return Aggregation.onExecutors(s.aggregate(), 3 * bytes, s.workers());
    }

    private Map<String, Object> runRound(RoundPlan plan) {
        long t0 = System.nanoTime();
        List<byte[]> params = paramChunks();
        Broadcast<RoundTask.RoundInput> bc = sc.broadcast(new RoundTask.RoundInput(params, state, plan));
        long t1 = System.nanoTime();
        sc.setJobDescription("frugal round " + plan.round() + ": steps " + plan.firstStep() + "-" + (plan.endStep() - 1));
        Aggregation agg = new Aggregation(params.size());
        Map<Integer, byte[]> merged;
        try {
            merged = agg.run(workers.mapPartitionsToPair(new RoundTask(scope, bc)), onExecutors(), s.workers());
        } finally {
            bc.destroy();
        }
        long t2 = System.nanoTime();
        driver.model().setTrainableValues(Chunks.toTensors(agg.params(merged)));
        state = agg.state(merged);
        List<byte[]> raw = Aggregation.deserialize(merged.get(Aggregation.REPORTS));
        List<WorkerReport> reports = raw.stream().map(b -> (WorkerReport) Aggregation.deserialize(b)).toList();
        long t3 = System.nanoTime();
        step = plan.endStep();
        return record(plan, reports, t1 - t0, t2 - t1, t3 - t2);
    }

    private Map<String, Object> record(RoundPlan plan, List<WorkerReport> results, long bcastNs, long jobNs, long mergeNs) {
        StepStats stats = new StepStats();
        double lossSum = 0;
        long targets = 0;
        long compute = 0;
        for (WorkerReport r : results) {
            stats.add(r.stats());
            lossSum += r.lossSum();
            targets += r.targets();
            compute = Math.max(compute, r.computeNanos());
        }
        long roundTokens = (long) plan.steps() * s.globalBatch() * (spec.seqLen() - 1);
        tokens += roundTokens;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("round", plan.round());
        m.put("step", step);
        m.put("tokens", tokens);
        m.put("train_loss", lossSum / Math.max(1, targets));
        m.put("lr", plan.lr()[plan.steps() - 1]);
        if (plan.rho() != null) {
            m.put("rho", plan.rho()[plan.steps() - 1]);
        }
        m.put("T", plan.updateGap());
        m.put("time_broadcast_ms", bcastNs / 1e6);
        m.put("time_compute_ms", compute / 1e6);
        m.put("time_aggregate_ms", (jobNs - compute + mergeNs) / 1e6);
        m.put("tokens_per_s", roundTokens / ((bcastNs + jobNs + mergeNs) / 1e9));
        workerStateBytes = results.get(0).stateBytes();
        m.put("optimizer_state_bytes", workerStateBytes);
        m.put("driver_heap_bytes", Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory());
        m.put("driver_rss_bytes", org.bytedeco.javacpp.Pointer.physicalBytes());
        m.put("executor_heap_bytes", results.stream().mapToLong(WorkerReport::heapBytes).max().orElse(0));
        m.put("executor_rss_bytes", results.stream().mapToLong(WorkerReport::rssBytes).max().orElse(0));
        stats.toMap().forEach((k, v) -> m.put("stats." + k, v));
        return m;
    }

    private boolean evalDue() {
        return step == s.steps() || (s.evalEvery() > 0 && step % s.evalEvery() == 0);
    }

    private boolean checkpointDue() {
        return step == s.steps() || (s.checkpointEvery() > 0 && step % s.checkpointEvery() == 0);
    }

    private static long nextMultiple(long from, int every) {
        return every <= 0 ? Long.MAX_VALUE : (from / every + 1) * every;
    }

    private org.apache.hadoop.fs.Path checkpoint(CheckpointStore store) throws IOException {
        CheckpointStore.Writer w = store.begin(step);
        Path local = Files.createTempFile("frugal-params", ".safetensors");
        try {
            driver.model().saveParameters(local, DataType.FLOAT);
            w.copyFromLocal(local, "model.safetensors");
        } finally {
            Files.deleteIfExists(local);
        }
        try (OutputStream out = w.create("optimizer.bin")) {
            StateCodec.writeChunks(state, out);
        }
        Map<String, Object> trainer = new LinkedHashMap<>();
        trainer.put("step", step);
        trainer.put("tokens", tokens);
        trainer.put("round", round);
        trainer.put("initial_val_loss", initialValLoss);
        trainer.put("data_cursor", Map.of("kind", "sampler", "step", step, "seed", s.seed(), "workers", s.workers(),
                "train_data", trainData));
        trainer.put("controllers", controllers.state());
        try (OutputStream out = w.create("trainer.json")) {
            out.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(trainer));
        }
        try (OutputStream out = w.create("config.conf")) {
            out.write(config.render().getBytes(StandardCharsets.UTF_8));
        }
        return w.commit();
    }

    @SuppressWarnings("unchecked")
    private boolean restore(CheckpointStore store, String resume) throws IOException {
        Optional<org.apache.hadoop.fs.Path> cp = store.resolve(resume);
        if (cp.isEmpty()) {
            console.println("no committed checkpoint under " + s.checkpointDir() + ": starting fresh");
            return false;
        }
        Path local = Files.createTempFile("frugal-params", ".safetensors");
        try {
            store.fileSystem().copyToLocalFile(new org.apache.hadoop.fs.Path(cp.get(), "model.safetensors"),
                    new org.apache.hadoop.fs.Path(local.toUri()));
            driver.model().loadSafetensors(local);
        } finally {
            Files.deleteIfExists(local);
        }
        try (InputStream in = store.open(cp.get(), "optimizer.bin")) {
            state = Chunks.ofState(StateCodec.read(in), Aggregation.CHUNK_BYTES); // today's format, or the one before it
        }
        Map<String, Object> trainer;
        try (InputStream in = store.open(cp.get(), "trainer.json")) {
            trainer = JSON.readValue(in, Map.class);
        }
        checkSameSharding((Map<String, Object>) trainer.get("data_cursor"), cp.get());
        step = ((Number) trainer.get("step")).longValue();
        tokens = ((Number) trainer.get("tokens")).longValue();
        round = ((Number) trainer.get("round")).longValue();
        initialValLoss = ((Number) trainer.get("initial_val_loss")).doubleValue();
        controllers.restore((Map<String, Object>) trainer.get("controllers"));
        console.println("resumed from " + cp.get() + " at step " + step);
        return true;
    }

    /**
     * A resume continues each worker's data cursor, which train.workers, train.seed and the training
     * shards define: refuse a change unless asked. Checkpoints from before the data digest skip that check.
     */
    private void checkSameSharding(Map<String, Object> cursor, org.apache.hadoop.fs.Path checkpoint) {
        if (cursor == null || s.reshard()) {
            return;
        }
        Object data = cursor.get("train_data");
        if (data != null && !data.equals(trainData)) {
            throw new ConfigError("data.output: checkpoint " + checkpoint + " was trained on other shards than " + s.tokensDir()
                    + " holds now (train split digest " + data + ", now " + trainData + "). Set train.reshard=true to resume anyway");
        }
        Map<String, Long> now = Map.of("workers", (long) s.workers(), "seed", s.seed());
        for (Map.Entry<String, Long> e : now.entrySet()) {
            Number was = (Number) cursor.get(e.getKey());
            if (was != null && was.longValue() != e.getValue()) {
                throw new ConfigError("train." + e.getKey() + ": checkpoint " + checkpoint + " was written with " + was
                        + ", this run has " + e.getValue() + "; every worker's sequence order depends on it. Set train.reshard=true"
                        + " to resume anyway (the data each worker reads changes from step " + cursor.get("step") + " on)");
            }
        }
    }

    /** A resumed run rewrites what an interrupted one logged after its checkpoint. */
    private static void truncateMetricsAfter(Path file, long step) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        List<String> keep = new ArrayList<>();
        for (Map<String, Object> row : MetricsLog.read(file)) {
            if (((Number) row.get("step")).longValue() <= step) {
                keep.add(JSON.writeValueAsString(row));
            }
        }
        Files.write(file, keep, StandardCharsets.UTF_8);
    }
}
