package io.frugalspark.job.train;

import io.frugalspark.job.config.ConfigError;
import io.frugalspark.optim.Frugal;
import io.frugalspark.optim.Presets;
import java.util.Set;

/** The configured optimizer preset, and the facts the driver needs about it. */
final class OptimizerFactory {
    /** Selectors whose subspace depends on the gradient: the driver builds them from averaged gradients. */
    private static final Set<String> GRADIENT_SELECTION = Set.of("frugal-svd", "galore");
    /** AdaFRUGAL's reference rho decay end point. */
    private static final double ADAFRUGAL_RHO_END = 0.05;

    private OptimizerFactory() {}

    /**
     * @param adaptive whether the driver runs AdaFRUGAL's rho decay and loss-aware T
     * @param gradientSelection whether re-selections need the driver's averaged gradients
     */
    record Method(String name, boolean adaptive, boolean gradientSelection, double rho, double rhoEnd, int updateGap) {}

    static Frugal create(TrainSettings s) {
        try {
            Frugal.Builder b = Presets.builder(s.optimizerPreset(), s.weightDecay(), s.seed(),
                    s.rho() >= 0 ? s.rho() : null, s.updateGap() > 0 ? s.updateGap() : null);
            if (s.projLrScale() > 0) {
                b.projLrScale(s.projLrScale());
            }
            if (s.inactiveLrScale() > 0) {
                b.inactiveLrScale(s.inactiveLrScale());
            }
            Frugal f = b.build();
            if ((s.projLrScale() > 0 || s.inactiveLrScale() > 0) && !f.hasProjectableGroup()) {
                throw new ConfigError("optimizer.proj_lr_scale / optimizer.inactive_lr_scale: preset '" + s.optimizerPreset()
                        + "' has no projectable group (every tensor is regular and trains at optimizer.lr); leave them at -1");
            }
            return f;
        } catch (IllegalArgumentException e) {
            throw new ConfigError("optimizer.preset: " + e.getMessage());
        }
    }

    static Method method(TrainSettings s) {
        Frugal probe = create(s);
        return new Method(s.optimizerPreset(), s.optimizerPreset().equals("adafrugal"),
                GRADIENT_SELECTION.contains(s.optimizerPreset()), probe.density().rho(), ADAFRUGAL_RHO_END, probe.updateGap());
    }
}
