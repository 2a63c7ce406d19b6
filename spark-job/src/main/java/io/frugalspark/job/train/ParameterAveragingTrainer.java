package io.frugalspark.job.train;

import io.frugalspark.data.Manifest;
import io.frugalspark.job.config.FrugalConfig;
import io.frugalspark.job.io.LossPlot;
import io.frugalspark.job.io.MetricsLog;
import io.frugalspark.optim.method.Method;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * The driver of parameter-averaging training: each round, the {@link RoundPlanner} decides the
 * steps, the {@link RoundExchange} runs them on every worker and merges the results in worker order
 * (so runs are reproducible), the {@link DivergenceGuard} judges them, the controllers decide the
 * next round, {@link Checkpoints} commit and {@link RoundMetrics} log. The Java API entry point: it
 * takes an existing {@link JavaSparkContext} (Zeppelin, spark-submit, tests) and never stops it.
 */
public final class ParameterAveragingTrainer implements AutoCloseable {
    private final JavaSparkContext sc;
    private final TrainSettings s;
    private final PrintStream console;
    private final RunSpec spec;
    private final Broadcast<RunScope> scope;
    private final RoundExchange exchange;
    private final Controllers controllers;
    private final DivergenceGuard guard;
    private final RoundPlanner planner;
    private final Replica driver;
    private final Checkpoints checkpoints;
    /** The optimizer state the replicas share, as the round's chunks (head first): never decoded whole between rounds. */
    private List<byte[]> state;
    private RunPosition at = RunPosition.START;
    private double lastVal = Double.NaN;
    /** The last accepted round's metrics row. */
    private Map<String, Object> last = Map.of("train_loss", Double.NaN, "optimizer_state_bytes", 0L);

    public ParameterAveragingTrainer(JavaSparkContext sc, FrugalConfig config, PrintStream console) {
        this(sc, config, console, FaultPlan.NONE);
    }

    /** A trainer whose run injects {@code faults} into itself (fault tests and drills). */
    ParameterAveragingTrainer(JavaSparkContext sc, FrugalConfig config, PrintStream console, FaultPlan faults) {
        this.sc = sc;
        this.s = TrainSettings.from(config);
        this.console = console;
        Method method = OptimizerFactory.method(s, config);
        ModelFactory.config(s, 2, 2);
        Manifest manifest = Manifest.read(s.tokensDir(), sc.hadoopConfiguration());
        this.spec = RunSpec.of(UUID.randomUUID().toString(), s, manifest, faults);
        this.scope = sc.broadcast(new RunScope(spec));
        this.exchange = new RoundExchange(sc, scope);
        this.controllers = new Controllers(s, method);
        this.guard = new DivergenceGuard(s.guard(), spec.vocabSize());
        this.planner = new RoundPlanner(s, method, controllers, guard);
        this.driver = spec.newReplica();
        this.state = driver.exportState(Aggregation.CHUNK_BYTES);
        this.checkpoints = Checkpoints.open(sc.hadoopConfiguration(), console::println, config.render(), s,
                manifest.split(Manifest.TRAIN).shardsDigest(), driver, controllers, guard);
    }

    /** Checks what a run needs from the config (batch arithmetic, presets) before any Spark or I/O work. */
    public static void validate(FrugalConfig config) {
        TrainSettings s = TrainSettings.from(config);
        ModelFactory.config(s, 2, 2);
        OptimizerFactory.method(s, config);
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
        boolean resumed = resume != null && restore(resume);
        Progress progress = new Progress(console, s.loop().steps(), at.step());
        try (MetricsLog metrics = MetricsLog.open(s.metricsDir(), sc.hadoopConfiguration(), resumed ? at.step() : -1)) {
            if (!resumed) {
                metrics.write(start());
            }
            while (at.step() < s.loop().steps()) {
                RoundPlan plan = planner.plan(at.round(), at.step(), Chunks.head(state), step -> driver.selectionFrom(
                        exchange.gradients(driver.exportParameters(Aggregation.CHUNK_BYTES), step + guard.dataOffset(step)), state));
                RoundResult result = exchange.round(driver.exportParameters(Aggregation.CHUNK_BYTES), state, plan);
                Optional<Divergence> diverged = guard.judgeRound(plan, result);
                Map<String, Object> record = diverged.isPresent() ? null : accept(plan, result);
                if (record != null && (planner.evalDue(at.step()) || controllers.lossCheckDue(at.step()))) {
                    diverged = validate(record);
                }
                if (record != null && diverged.isEmpty() && controllers.readsStatistics()) {
                    record.putAll(controllers.afterRound(at.step(), plan.steps(), Chunks.head(state), RoundMetrics.stats(result)).toMap());
                }
                if (diverged.isPresent()) {
                    Map<String, Object> rolledBack = guard.recover(diverged.get(), plan, () -> restore("latest") ? at.step() : 0);
                    console.println(rolledBack.get("event"));
                    metrics.write(rolledBack);
                    continue;
                }
                if (planner.checkpointDue(at.step())) {
                    record.put("checkpoint", checkpoints.write(at, state).toString());
                }
                metrics.write(record);
                last = record;
                progress.update(at.step(), at.tokens(), (double) record.get("train_loss"), lastVal);
            }
        } finally {
            releaseExecutors(); // the run's engines leave the executors with it
        }
        String plot = LossPlot.renderNextTo(s.metricsDir(), sc.hadoopConfiguration(), s.optimizer().preset(),
                "frugal-spark: " + s.model().preset() + " / " + s.optimizer().preset());
        return new TrainResult(at.step(), at.initialValLoss(), lastVal, (double) last.get("train_loss"), at.tokens(),
                progress.seconds(), (long) last.get("optimizer_state_bytes"), s.metricsDir(), plot);
    }

    /** A fresh run's step 0: the initial validation loss, and under rollback a checkpoint to roll back to. */
    private Map<String, Object> start() throws IOException {
        lastVal = evaluate();
        at = at.started(lastVal);
        console.printf("step 0: validation loss %.4f (perplexity %.2f)%n", lastVal, Math.exp(lastVal));
        guard.baseline(lastVal);
        if (s.guard().policy() == GuardSettings.Policy.ROLLBACK) {
            checkpoints.write(at, state);
        }
        return Map.of("step", 0, "tokens", 0, "val_loss", lastVal, "val_ppl", Math.exp(lastVal));
    }

    /** Evaluates after an accepted round: the guard judges the loss before loss-aware T sees it (at its checks). */
    private Optional<Divergence> validate(Map<String, Object> record) {
        lastVal = evaluate();
        record.put("val_loss", lastVal);
        record.put("val_ppl", Math.exp(lastVal));
        Optional<Divergence> diverged = guard.judgeValidation(at.step(), lastVal);
        if (diverged.isEmpty() && controllers.lossCheckDue(at.step())) {
            record.put("control.loss_check", controllers.observeValidationLoss(lastVal).rule().key());
        }
        return diverged;
    }

    /** Loads a committed checkpoint ("latest" or a directory) without training; false if none exists. */
    public boolean restoreFrom(String which) throws IOException {
        return restore(which);
    }

    /** Validation loss (token-weighted mean over the eval budget) of the current parameters. */
    public double evaluate() {
        return exchange.evaluate(driver.exportParameters(Aggregation.CHUNK_BYTES), at.step()).mean();
    }

    /** Takes a round's merged results as the run's new parameters and state; returns its metrics row. */
    private Map<String, Object> accept(RoundPlan plan, RoundResult result) {
        long t0 = System.nanoTime();
        driver.loadParameters(result.params());
        state = result.state();
        long roundTokens = (long) plan.steps() * s.loop().globalBatch() * (spec.seqLen() - 1);
        at = at.after(plan, roundTokens);
        return RoundMetrics.of(plan, result, at, roundTokens, System.nanoTime() - t0, Chunks.head(state).counters().reselections());
    }

    private boolean restore(String which) throws IOException {
        Optional<Checkpoints.Restored> found = checkpoints.read(which);
        if (found.isEmpty()) {
            console.println("no committed checkpoint under " + s.checkpoint().dir() + ": starting fresh");
            return false;
        }
        state = found.get().state();
        at = found.get().position();
        console.println("resumed from " + found.get().path() + " at step " + at.step());
        return true;
    }
}
