package io.frugalspark.job.train;

import io.frugalspark.job.config.ConfigError;
import io.frugalspark.optim.Frugal;
import io.frugalspark.optim.Presets;
import io.frugalspark.optim.method.Method;

/** The configured method (a preset's descriptor with the config's overrides) and its optimizers. */
final class OptimizerFactory {
    private OptimizerFactory() {}

    /** The preset named by optimizer.preset with optimizer.rho, .T and the group lr scales applied (-1: the preset's). */
    static Method method(TrainSettings s) {
        try {
            Method preset = Presets.method(s.optimizer().preset());
            if ((s.optimizer().projLrScale() > 0 || s.optimizer().inactiveLrScale() > 0) && !preset.hasProjectableGroup()) {
                throw new ConfigError("optimizer.proj_lr_scale / optimizer.inactive_lr_scale: preset '" + s.optimizer().preset()
                        + "' has no projectable group (every tensor is regular and trains at optimizer.lr); leave them at -1");
            }
            Method.Builder b = preset.toBuilder();
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
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new ConfigError("optimizer.preset: " + e.getMessage());
        }
    }

    static Frugal create(TrainSettings s) {
        return method(s).create(s.optimizer().weightDecay(), s.loop().seed());
    }
}
