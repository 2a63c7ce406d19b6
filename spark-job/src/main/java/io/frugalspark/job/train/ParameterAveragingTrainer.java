package io.frugalspark.job.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.frugalspark.data.Manifest;
import io.frugalspark.job.config.FrugalConfig;
import io.frugalspark.job.io.CheckpointStore;
import io.frugalspark.job.io.LossPlot;
import io.frugalspark.job.io.MetricsLog;
import io.frugalspark.optim.method.Method;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * The driver of parameter-averaging training: each round, the {@link RoundPlanner} decides the
 * steps, the {@link RoundExchange} runs them on every worker and merges the results in worker order
 * (so runs are reproducible), then the controllers see the evaluation, {@link Checkpoints} commit
 * and {@link RoundMetrics} log. This is the Java API entry point: it takes an existing
 * {@link JavaSparkContext} (Zeppelin, spark-submit, tests) and never stops it.
 */
public final class ParameterAveragingTrainer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final JavaSparkContext sc;
    private final FrugalConfig config;
    private final TrainSettings s;
    private final PrintStream console;
    private final RunSpec spec;
    private final Broadcast<RunScope> scope;
    private final RoundExchange exchange;
    /** Identity of the training data: the manifest's digest of the train split's shards. */
    private final String trainData;
    private final Controllers controllers;
    private final DivergenceGuard guard;
    private final RoundPlanner planner;
    private final Replica driver;
    /** The optimizer state the replicas share, as the round's chunks (head first): never decoded whole between rounds. */
    private List<byte[]> state;
    private long step;
    private long tokens;
    private long round;
    private double initialValLoss = Double.NaN;
    private double lastVal = Double.NaN;
    /** The last accepted round's metrics row. */
    private Map<String, Object> last = Map.of("train_loss", Double.NaN, "optimizer_state_bytes", 0L);

    public ParameterAveragingTrainer(JavaSparkContext sc, FrugalConfig config, PrintStream console) {
        this(sc, config, console, FaultPlan.NONE);
    }

    /** A trainer whose run injects {@code faults} into itself (fault tests and drills). */
    ParameterAveragingTrainer(JavaSparkContext sc, FrugalConfig config, PrintStream console, FaultPlan faults) {
        this.sc = sc;
        this.config = config;
        this.s = TrainSettings.from(config);
        this.console = console;
        Method method = validate(s);
        Manifest manifest = Manifest.read(s.tokensDir(), sc.hadoopConfiguration());
        this.spec = RunSpec.of(UUID.randomUUID().toString(), s, manifest, faults);
        this.scope = sc.broadcast(new RunScope(spec));
        this.exchange = new RoundExchange(sc, scope);
        this.trainData = manifest.split(Manifest.TRAIN).shardsDigest();
        this.controllers = new Controllers(s, method);
        this.guard = new DivergenceGuard(s.guard(), spec.vocabSize());
        this.planner = new RoundPlanner(s, method, controllers, guard);
        this.driver = spec.newReplica();
        this.state = driver.exportState(Aggregation.CHUNK_BYTES);
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

    /** Frees the run's engines on every executor; later work (an evaluation) builds them again. */
    public void releaseExecutors() {
        exchange.release(spec.runId());
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
        Checkpoints checkpoints = checkpoints();
        boolean resumed = resume != null && restore(checkpoints, resume);
        Path metricsFile = Path.of(s.metricsDir(), "metrics.jsonl");
        if (resumed) {
            truncateMetricsAfter(metricsFile, step);
        }
        Progress progress = new Progress(console, s.loop().steps(), step);
        try (MetricsLog metrics = new MetricsLog(metricsFile, resumed)) {
            if (!resumed) {
                metrics.write(start(checkpoints));
            }
            while (step < s.loop().steps()) {
                RoundPlan plan = planner.plan(round++, step, Chunks.head(state), at -> driver.selectionFrom(
                        exchange.gradients(driver.exportParameters(Aggregation.CHUNK_BYTES), at + guard.dataOffset(at)), state));
                RoundResult result = exchange.round(driver.exportParameters(Aggregation.CHUNK_BYTES), state, plan);
                Optional<Divergence> diverged = guard.judgeRound(plan, result);
                Map<String, Object> record = diverged.isPresent() ? null : accept(plan, result);
                if (record != null && planner.evalDue(step)) {
                    diverged = validate(record);
                }
                if (diverged.isPresent()) {
                    Map<String, Object> rolledBack = guard.recover(diverged.get(), plan, () -> restoreLatest(checkpoints));
                    console.println(rolledBack.get("event"));
                    metrics.write(rolledBack);
                    continue;
                }
                if (planner.checkpointDue(step)) {
                    record.put("checkpoint", checkpoints.write(driver, state, checkpointRecord()).toString());
                }
                metrics.write(record);
                last = record;
                progress.update(step, tokens, (double) record.get("train_loss"), lastVal);
            }
        } finally {
            releaseExecutors(); // the run's engines leave the executors with it
        }
        Path plot = Path.of(s.metricsDir(), "loss.png");
        LossPlot.render(Map.of(s.optimizer().preset(), metricsFile), plot, "frugal-spark: " + s.model().preset() + " / " + s.optimizer().preset());
        return new TrainResult(step, initialValLoss, lastVal, (double) last.get("train_loss"), tokens, progress.seconds(),
                (long) last.get("optimizer_state_bytes"), metricsFile, plot);
    }

    /** A fresh run's step 0: the initial validation loss, and under rollback a checkpoint to roll back to. */
    private Map<String, Object> start(Checkpoints checkpoints) throws IOException {
        initialValLoss = evaluate();
        lastVal = initialValLoss;
        console.printf("step 0: validation loss %.4f (perplexity %.2f)%n", initialValLoss, Math.exp(initialValLoss));
        guard.baseline(initialValLoss);
        if (s.guard().policy() == GuardSettings.Policy.ROLLBACK) {
            checkpoints.write(driver, state, checkpointRecord());
        }
        return Map.of("step", 0, "tokens", 0, "val_loss", initialValLoss, "val_ppl", Math.exp(initialValLoss));
    }

    /** Evaluates after an accepted round: the guard judges the loss before the controllers see it. */
    private Optional<Divergence> validate(Map<String, Object> record) {
        lastVal = evaluate();
        record.put("val_loss", lastVal);
        record.put("val_ppl", Math.exp(lastVal));
        Optional<Divergence> diverged = guard.judgeValidation(step, lastVal);
        if (diverged.isEmpty()) {
            controllers.observeValidationLoss(lastVal);
        }
        return diverged;
    }

    /** Loads a committed checkpoint ("latest" or a directory) without training; false if none exists. */
    public boolean restoreFrom(String which) throws IOException {
        return restore(checkpoints(), which);
    }

    /** Validation loss (token-weighted mean over the eval budget) of the current parameters. */
    public double evaluate() {
        return exchange.evaluate(driver.exportParameters(Aggregation.CHUNK_BYTES), step).mean();
    }

    /** Takes a round's merged results as the run's new parameters and state; returns its metrics row. */
    private Map<String, Object> accept(RoundPlan plan, RoundResult result) {
        long t0 = System.nanoTime();
        driver.loadParameters(result.params());
        state = result.state();
        step = plan.endStep();
        long roundTokens = (long) plan.steps() * s.loop().globalBatch() * (spec.seqLen() - 1);
        tokens += roundTokens;
        return RoundMetrics.of(plan, result, step, tokens, roundTokens, System.nanoTime() - t0);
    }

    private Checkpoints checkpoints() throws IOException {
        return new Checkpoints(new CheckpointStore(s.checkpoint().dir(), sc.hadoopConfiguration(), s.checkpoint().keep(), console::println),
                config.render(), s, trainData);
    }

    private TrainCheckpoint checkpointRecord() {
        return new TrainCheckpoint(step, tokens, round, initialValLoss, DataCursor.of(step, s, trainData), controllers.state(),
                guard.state());
    }

    private boolean restore(Checkpoints checkpoints, String which) throws IOException {
        Optional<Checkpoints.Restored> found = checkpoints.read(which, driver);
        if (found.isEmpty()) {
            console.println("no committed checkpoint under " + s.checkpoint().dir() + ": starting fresh");
            return false;
        }
        TrainCheckpoint cp = found.get().record();
        state = found.get().state();
        step = cp.step();
        tokens = cp.tokens();
        round = cp.round();
        initialValLoss = cp.initialValLoss();
        controllers.restore(cp.controllers());
        guard.restore(cp.guard());
        console.println("resumed from " + found.get().path() + " at step " + step);
        return true;
    }

    private long restoreLatest(Checkpoints checkpoints) throws IOException {
        restore(checkpoints, "latest");
        return step;
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
