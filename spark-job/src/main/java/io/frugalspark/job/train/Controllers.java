package io.frugalspark.job.train;

import io.frugalspark.job.config.ConfigError;
import io.frugalspark.optim.method.Method;
import io.frugalspark.optim.schedule.Cosine;
import io.frugalspark.optim.schedule.CyclicCosine;
import io.frugalspark.optim.schedule.Linear;
import io.frugalspark.optim.schedule.LinearRhoDecay;
import io.frugalspark.optim.schedule.LossAwareGap;
import io.frugalspark.optim.schedule.LrSchedule;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The driver-owned schedule of a run: learning-rate multiplier per step, AdaFRUGAL's rho decay and
 * loss-aware T (only for the adafrugal method), and their checkpointable state.
 */
final class Controllers {
    private final TrainSettings settings;
    private final LrSchedule lr;
    private final LinearRhoDecay rho;
    private final LossAwareGap gap;
    private final int fixedGap;

    Controllers(TrainSettings s, Method method) {
        this.settings = s;
        this.lr = schedule(s);
        this.rho = method.adaptive() ? new LinearRhoDecay(method.rho(), method.adaFrugal().rhoEnd(), s.loop().steps()) : null;
        this.gap = method.adaptive() ? LossAwareGap.defaults(Math.max(1, s.eval().every())) : null;
        this.fixedGap = method.updateGap();
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
        return rho == null ? Double.NaN : rho.rho(step + 1);
    }

    boolean adaptiveRho() {
        return rho != null;
    }

    int updateGap() {
        return gap == null ? fixedGap : gap.gap();
    }

    /** Feeds an all-worker validation loss to the loss-aware T controller. */
    void observeValidationLoss(double loss) {
        if (gap != null) {
            gap.observe(loss);
        }
    }

    Map<String, Object> state() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (gap != null) {
            m.put("gap", gap.gap());
            double prev = gap.previousLoss();
            m.put("previous_loss", Double.isFinite(prev) ? prev : null); // +inf before the first check
        }
        return m;
    }

    void restore(Map<String, Object> m) {
        if (gap != null && m.containsKey("gap")) {
            Object prev = m.get("previous_loss");
            gap.restore(((Number) m.get("gap")).intValue(),
                    prev instanceof Number n ? n.doubleValue() : Double.POSITIVE_INFINITY);
        }
    }
}
