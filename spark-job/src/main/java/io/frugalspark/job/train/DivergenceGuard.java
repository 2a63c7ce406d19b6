package io.frugalspark.job.train;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The driver's divergence guard. It judges each round (a non-finite loss, gradient or parameter that
 * a worker found; the round's train loss above {@code spike_factor} times the median of the recent
 * rounds', the first round against the initial validation loss) and each validation loss (non-finite; or back at ln V, uniform guessing, after having
 * been below it: a collapse). Under rollback it keeps what makes a rolled-back run reproducible, the
 * data windows skipped and the lr factor, in its {@link State}, which checkpoints carry.
 */
final class DivergenceGuard {
    /** Steps {@code [at, at + steps)} of the data order that a rollback skipped. */
    record Skip(long at, long steps) {}

    /** The guard's checkpointed state. */
    record State(List<Double> recentLosses, boolean beatUniform, List<Skip> skips, double lrFactor, int rollbacks) {
        static final State FRESH = new State(List.of(), false, List.of(), 1.0, 0);
    }

    private final GuardSettings settings;
    private final double uniformLoss;
    private State state = State.FRESH;

    DivergenceGuard(GuardSettings settings, int vocabSize) {
        this.settings = settings;
        this.uniformLoss = Math.log(vocabSize);
    }

    /** The first worker's divergence in worker order, a non-finite or spiking train loss, or nothing (the loss is kept). */
    Optional<Divergence> judgeRound(RoundPlan plan, RoundResult result) {
        for (WorkerReport r : result.reports()) {
            if (r.divergence() != null) {
                return Optional.of(r.divergence());
            }
        }
        double loss = RoundMetrics.trainLoss(result);
        long last = plan.endStep() - 1;
        if (!Double.isFinite(loss)) {
            return Optional.of(new Divergence(last, -1, "non-finite train loss", null, loss));
        }
        List<Double> recent = state.recentLosses;
        if (!recent.isEmpty() && loss > settings.spikeFactor() * median(recent)) {
            return Optional.of(new Divergence(last, -1, "loss spike (over " + settings.spikeFactor() + " x the median "
                    + median(recent) + " of the last " + recent.size() + " rounds)", null, loss));
        }
        List<Double> kept = new ArrayList<>(recent.subList(Math.max(0, recent.size() + 1 - settings.window()), recent.size()));
        kept.add(loss);
        state = new State(List.copyOf(kept), state.beatUniform, state.skips, state.lrFactor, state.rollbacks);
        return Optional.empty();
    }

    /**
     * A fresh run's initial validation loss starts the loss history, so a run that explodes in its
     * first round (the loss of an untrained model is about ln V) is a spike too.
     */
    void baseline(double initialValLoss) {
        if (Double.isFinite(initialValLoss)) {
            state = new State(List.of(initialValLoss), state.beatUniform, state.skips, state.lrFactor, state.rollbacks);
        }
    }

    /** A non-finite validation loss, or a collapse back to uniform guessing. */
    Optional<Divergence> judgeValidation(long step, double loss) {
        if (!Double.isFinite(loss)) {
            return Optional.of(new Divergence(step, -1, "non-finite validation loss", null, loss));
        }
        if (state.beatUniform && loss >= uniformLoss) {
            return Optional.of(new Divergence(step, -1, "collapse to uniform (validation loss back at ln V = " + uniformLoss + ")",
                    null, loss));
        }
        if (loss < uniformLoss && !state.beatUniform) {
            state = new State(state.recentLosses, true, state.skips, state.lrFactor, state.rollbacks);
        }
        return Optional.empty();
    }

    /** Restores the run's last committed checkpoint (the guard's state with it) and returns its step. */
    interface Rollback {
        long restoreLatest() throws IOException;
    }

    /**
     * Under stop, fails naming what diverged; under rollback, restores the last committed checkpoint
     * and goes on with the diverged round's data skipped and a lower lr. Returns the metrics row saying
     * so, its "event" in words.
     */
    Map<String, Object> recover(Divergence d, RoundPlan diverged, Rollback rollback) throws IOException {
        if (settings.policy() == GuardSettings.Policy.STOP) {
            throw new DivergenceError(d, "The last committed checkpoint is untouched; lower optimizer.lr or set guard.policy=rollback.");
        }
        State after = rollback(d, diverged);
        long backTo = rollback.restoreLatest();
        // the loss history as the checkpoint has it (the rolled-back rounds describe a run that no
        // longer exists), with the rollbacks so far
        state = new State(state.recentLosses, state.beatUniform, after.skips, after.lrFactor, after.rollbacks);
        String event = String.format("rollback %d: %s; back to step %d, the data of steps %d-%d skipped, lr x %s", after.rollbacks,
                d.message(), backTo, diverged.firstStep(), diverged.endStep() - 1, after.lrFactor);
        return Map.of("step", backTo, "rollback", after.rollbacks, "event", event, "lr_factor", after.lrFactor,
                "skipped_from", diverged.firstStep(), "skipped_steps", diverged.steps());
    }

    /**
     * Records a rollback of the round {@code diverged}: its data window is skipped from now on and the
     * lr lowered; refuses (a {@link DivergenceError}) once {@code guard.max_rollbacks} are spent.
     */
    private State rollback(Divergence d, RoundPlan diverged) {
        if (state.rollbacks >= settings.maxRollbacks()) {
            throw new DivergenceError(d, "Gave up after " + state.rollbacks + " rollbacks (guard.max_rollbacks); the last"
                    + " committed checkpoint is untouched.");
        }
        List<Skip> skips = new ArrayList<>(state.skips);
        skips.add(new Skip(diverged.firstStep(), diverged.steps()));
        return new State(state.recentLosses, state.beatUniform, List.copyOf(skips), state.lrFactor * settings.lrFactor(),
                state.rollbacks + 1);
    }

    /** How far the data order runs ahead of the step at {@code step}: the skipped windows that start at or before it. */
    long dataOffset(long step) {
        return state.skips.stream().filter(k -> k.at() <= step).mapToLong(Skip::steps).sum();
    }

    /** The next step after {@code step} at which a skip starts (rounds end there), or Long.MAX_VALUE. */
    long nextSkipAfter(long step) {
        return state.skips.stream().mapToLong(Skip::at).filter(at -> at > step).min().orElse(Long.MAX_VALUE);
    }

    double lrFactor() {
        return state.lrFactor;
    }

    State state() {
        return state;
    }

    void restore(State s) {
        state = s == null ? State.FRESH : s;
    }

    private static double median(List<Double> xs) {
        double[] v = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
