package io.frugalspark.job.train;

import io.frugalspark.job.config.ConfigError;
import io.frugalspark.job.config.FrugalConfig;
import io.frugalspark.optim.Frugal;
import io.frugalspark.optim.Presets;
import io.frugalspark.optim.method.Method;
import io.frugalspark.optim.method.Method.Adaptive;
import io.frugalspark.optim.method.Method.Adaptive.GapRule;
import io.frugalspark.optim.method.Method.Adaptive.RhoRule;
import io.frugalspark.optim.method.Method.Adaptive.SelectionRule;
import java.util.Locale;

/** The configured method (a preset's descriptor with the config's overrides) and its optimizers. */
public final class OptimizerFactory {
    private static final String ADA = "optimizer.adafrugal.";

    private OptimizerFactory() {}

    /**
     * The preset named by optimizer.preset with optimizer.rho, .T and the group lr scales applied (-1:
     * the preset's); an adaptive preset gets the published AdaFRUGAL controls. Replicas need only this;
     * the driver steers with {@link #method(TrainSettings, FrugalConfig)}.
     */
    static Method method(TrainSettings s) {
        return method(s, Adaptive.published());
    }

    /** As {@link #method(TrainSettings)}, with an adaptive preset's controls from the optimizer.adafrugal section. */
    static Method method(TrainSettings s, FrugalConfig c) {
        return method(s, controls(c));
    }

    private static Method method(TrainSettings s, Adaptive controls) {
        try {
            Method preset = Presets.method(s.optimizer().preset());
            if ((s.optimizer().projLrScale() > 0 || s.optimizer().inactiveLrScale() > 0) && !preset.hasProjectableGroup()) {
                throw new ConfigError("optimizer.proj_lr_scale / optimizer.inactive_lr_scale: preset '" + s.optimizer().preset()
                        + "' has no projectable group (every tensor is regular and trains at optimizer.lr); leave them at -1");
            }
            Method.Builder b = preset.toBuilder().adaptive(null);
            if (s.optimizer().rho() >= 0) {
                b.rho(s.optimizer().rho());
            }
            if (s.optimizer().updateGap() > 0) {
                b.updateGap(s.optimizer().updateGap());
            }
            if (s.optimizer().projLrScale() > 0) {
                b.projLrScale(s.optimizer().projLrScale());
            }
            if (s.optimizer().inactiveLrScale() > 0) {
                b.inactiveLrScale(s.optimizer().inactiveLrScale());
            }
            Method fixed = b.build();
            return preset.adaptive() ? fixed.toBuilder().adaptive(steering(controls, fixed)).build() : fixed;
        } catch (IllegalArgumentException e) {
            throw new ConfigError("optimizer.preset: " + e.getMessage());
        }
    }

    /** The optimizer.adafrugal section, typed; every range error names its key. */
    public static Adaptive controls(FrugalConfig c) {
        Adaptive a = new Adaptive(rule(c, "rho_rule", RhoRule.class), fraction(c, "rho_end"), atLeast(c, "decay_steps", 0),
                rule(c, "gap_rule", GapRule.class), (int) atLeast(c, "T_min", 1), (int) atLeast(c, "T_max", 1),
                c.getDouble(ADA + "gamma"), c.getDouble(ADA + "tau"), c.getDouble(ADA + "loss_guard"), atLeast(c, "check_every", 1),
                rule(c, "selection_rule", SelectionRule.class), fraction(c, "importance_beta"), fraction(c, "exploration"),
                fraction(c, "drift_fraction"), fraction(c, "energy_share"), atLeast(c, "rho_hold", 0));
        check(a.tMin() <= a.tMax(), "T_min", a.tMin() + " exceeds " + ADA + "T_max " + a.tMax());
        check(a.gamma() >= 1, "gamma", "must be >= 1 (T never shrinks), got " + a.gamma());
        check(a.tau() >= 0, "tau", "must be >= 0, got " + a.tau());
        check(a.lossGuard() > 0, "loss_guard", "must be positive, got " + a.lossGuard());
        check(a.importanceBeta() < 1, "importance_beta", "must lie in [0, 1), got " + a.importanceBeta());
        check(a.driftFraction() > 0, "drift_fraction", "must lie in (0, 1], got " + a.driftFraction());
        check(a.energyShare() > 0, "energy_share", "must lie in (0, 1], got " + a.energyShare());
        return a;
    }

    /** {@code a} checked against the method it steers: rho ends at or below its start, T starts at or below T_max. */
    private static Adaptive steering(Adaptive a, Method m) {
        check(a.rhoEnd() <= m.rho(), "rho_end", a.rhoEnd() + " lies above the starting density " + m.rho()
                + " (optimizer.rho, or the preset's): rho would jump up at step 1");
        check(m.updateGap() <= a.tMax(), "T_max", a.tMax() + " lies below the starting T " + m.updateGap()
                + " (optimizer.T, or the preset's)");
        return a;
    }

    /** {@code c} with its optimizer.adafrugal section set to {@code a}: {@link #controls} reads {@code a} back. */
    public static FrugalConfig withControls(FrugalConfig c, Adaptive a) {
        return c.with(ADA + "rho_rule", key(a.rhoRule())).with(ADA + "rho_end", a.rhoEnd()).with(ADA + "decay_steps", a.decaySteps())
                .with(ADA + "gap_rule", key(a.gapRule())).with(ADA + "T_min", a.tMin()).with(ADA + "T_max", a.tMax())
                .with(ADA + "gamma", a.gamma()).with(ADA + "tau", a.tau()).with(ADA + "loss_guard", a.lossGuard())
                .with(ADA + "check_every", a.checkEvery()).with(ADA + "selection_rule", key(a.selectionRule()))
                .with(ADA + "importance_beta", a.importanceBeta()).with(ADA + "exploration", a.exploration())
                .with(ADA + "drift_fraction", a.driftFraction()).with(ADA + "energy_share", a.energyShare())
                .with(ADA + "rho_hold", a.rhoHold());
    }

    private static String key(Enum<?> rule) {
        return rule.name().toLowerCase(Locale.ROOT);
    }

    private static <E extends Enum<E>> E rule(FrugalConfig c, String key, Class<E> type) {
        String v = c.getString(ADA + key);
        try {
            return Enum.valueOf(type, v.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigError(ADA + key + ": unknown rule '" + v + "' (" + names(type) + ")");
        }
    }

    private static String names(Class<? extends Enum<?>> type) {
        StringBuilder sb = new StringBuilder();
        for (Enum<?> e : type.getEnumConstants()) {
            sb.append(sb.isEmpty() ? "" : ", ").append(key(e));
        }
        return sb.toString();
    }

    private static double fraction(FrugalConfig c, String key) {
        double v = c.getDouble(ADA + key);
        check(v >= 0 && v <= 1, key, "must lie in [0, 1], got " + v);
        return v;
    }

    private static long atLeast(FrugalConfig c, String key, long min) {
        long v = c.getLong(ADA + key);
        check(v >= min, key, "must be >= " + min + ", got " + v);
        return v;
    }

    private static void check(boolean ok, String key, String problem) {
        if (!ok) {
            throw new ConfigError(ADA + key + " " + problem);
        }
    }

    static Frugal create(TrainSettings s) {
        return method(s).create(s.optimizer().weightDecay(), s.loop().seed());
    }
}
