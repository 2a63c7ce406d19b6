package io.frugalspark.job.train;

import io.frugalspark.job.config.ConfigError;
import io.frugalspark.optim.control.AdaFrugalControllers;
import io.frugalspark.optim.control.RoundDecision;
import io.frugalspark.optim.control.RoundStats;
import io.frugalspark.optim.control.Rule;
import io.frugalspark.optim.method.Method;
import io.frugalspark.optim.StepStats;
import io.frugalspark.optim.state.OptimizerState;
import io.frugalspark.optim.state.Selection;
import io.frugalspark.optim.state.StateCodec;
import io.frugalspark.optim.schedule.Cosine;
import io.frugalspark.optim.schedule.CyclicCosine;
import io.frugalspark.optim.schedule.Linear;
import io.frugalspark.optim.schedule.LossAwareGap;
import io.frugalspark.optim.schedule.LrSchedule;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The driver-owned schedule of a run: learning-rate multiplier per step and, for the adafrugal method,
 * AdaFRUGAL's controllers ({@link AdaFrugalControllers}: rho, T, the active set) with their
 * checkpointable state. rho starts at the method's rho and T at its update gap, so optimizer.rho and
 * optimizer.T are the starting values; the rules and knobs come from the method's
 * {@code optimizer.adafrugal} section.
 */
final class Controllers {
    private final TrainSettings settings;
    private final LrSchedule lr;
    private final AdaFrugalControllers ada;
    private final int fixedGap;
    private final boolean readsStatistics;
    /** A re-selection decided after the last round, for the next round's first step; null when none. */
    private Reselection pending;

    /** A re-selection the controllers decided, with the active set every worker injects, or null: the selector's own. */
    record Reselection(Selection activeSet) {}

    Controllers(TrainSettings s, Method method) {
        this.settings = s;
        this.lr = schedule(s);
        this.ada = method.adaptive()
                ? new AdaFrugalControllers(method.adaFrugal(), method.rho(), method.updateGap(), s.loop().steps(), s.loop().seed()) : null;
        this.fixedGap = method.updateGap();
        this.readsStatistics = method.adaptive() && method.adaFrugal().readsStatistics();
    }

    private static LrSchedule schedule(TrainSettings s) {
        long warmup = Math.round(s.optimizer().warmupFraction() * s.loop().steps());
        return switch (s.optimizer().schedule()) {
            case "cosine" -> new CyclicCosine(warmup, s.loop().steps(), s.optimizer().minLrRatio());
            case "cosine-once" -> new Cosine(warmup, s.loop().steps(), s.optimizer().minLrRatio());
            case "linear" -> new Linear(warmup, s.loop().steps(), s.optimizer().minLrRatio());
            case "constant" -> LrSchedule.constant();
            default -> throw new ConfigError("optimizer.schedule: unknown schedule '" + s.optimizer().schedule()
                    + "' (cosine, cosine-once, linear, constant)");
        };
    }

    /** Learning rate of optimizer call {@code step} (0-based). */
    double lr(long step) {
        return settings.optimizer().lr() * lr.multiplier(step);
    }

    /** Density for step {@code step} (0-based; AdaFRUGAL counts s = 1 on the first step), or NaN when fixed. */
    double rho(long step) {
        return ada == null ? Double.NaN : ada.rho(step);
    }

    boolean adaptiveRho() {
        return ada != null;
    }

    int updateGap() {
        return ada == null ? fixedGap : ada.updateGap();
    }

    /**
     * Whether loss-aware T wants a validation loss after {@code stepsDone} steps: every
     * optimizer.adafrugal.check_every steps, whatever eval.every says. Rounds end at
     * {@link #nextLossCheck}.
     */
    boolean lossCheckDue(long stepsDone) {
        return ada != null && ada.lossCheckDue(stepsDone);
    }

    /** Steps done at the next loss check after {@code stepsDone}; Long.MAX_VALUE when there is none. */
    long nextLossCheck(long stepsDone) {
        return ada == null ? Long.MAX_VALUE : ada.nextLossCheck(stepsDone);
    }

    /**
     * Feeds an all-worker validation loss to the loss-aware T controller. A non-finite loss leaves it
     * unchanged and comes back as {@link Rule#IGNORED}.
     */
    LossAwareGap.Check observeValidationLoss(double loss) {
        return ada == null ? new LossAwareGap.Check(fixedGap, Rule.NONE) : ada.observeValidationLoss(loss);
    }

    /** Whether the controllers read the per-tensor statistics, so the driver must call {@link #afterRound}. */
    boolean readsStatistics() {
        return readsStatistics;
    }

    /**
     * Steps from {@code step} until the density's block count over {@code groupSize} blocks changes,
     * at most {@code limit}: the plan ends a round there, so re-selections fall on round starts.
     */
    long stepsUntilBlockCountChange(long step, int groupSize, long limit) {
        return ada == null ? limit : ada.stepsUntilBlockCountChange(step, groupSize, limit);
    }

    /**
     * The next round's decisions from a round that ended at {@code end} after {@code steps} steps, with
     * the workers' summed statistics and the state head after it ({@link AdaFrugalControllers#afterRound}).
     */
    RoundDecision afterRound(long end, int steps, OptimizerState head, StepStats stats) {
        return afterRound(new RoundStats(end, steps, head.groupStep().orElse(0), stats.tensors()));
    }

    RoundDecision afterRound(RoundStats round) {
        RoundDecision d = ada.afterRound(round);
        pending = d.reselect() ? new Reselection(d.selection(round.stats().names())) : null;
        return d;
    }

    /** The re-selection decided for the next round's first step, once; null when none is due. */
    Reselection takeReselection() {
        Reselection r = pending;
        pending = null;
        return r;
    }

    /** The controllers' checkpointable state, with the re-selection still to apply at the next round's start. */
    Map<String, Object> state() {
        if (ada == null) {
            return Map.of();
        }
        Map<String, Object> m = new LinkedHashMap<>(ada.state());
        if (pending != null) {
            m.put("pending_reselection", pending.activeSet() == null ? ""
                    : Base64.getEncoder().encodeToString(StateCodec.encode(pending.activeSet())));
        }
        return m;
    }

    void restore(Map<String, Object> m) {
        if (ada != null) {
            ada.restore(m);
            Object p = m.get("pending_reselection");
            pending = p == null ? null
                    : new Reselection(p.equals("") ? null : StateCodec.decodeSelection(Base64.getDecoder().decode((String) p)));
        }
    }
}
