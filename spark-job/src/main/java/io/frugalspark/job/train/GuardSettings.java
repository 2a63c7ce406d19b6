package io.frugalspark.job.train;

import io.frugalspark.job.config.ConfigError;
import io.frugalspark.job.config.FrugalConfig;
import java.io.Serializable;
import java.util.Locale;

/**
 * The divergence guard's settings ({@code guard.*}).
 *
 * @param spikeFactor a round's train loss above this multiple of the median of the last {@code window} rounds' is a spike
 * @param lrFactor each rollback multiplies the learning rate by this
 */
public record GuardSettings(Policy policy, double spikeFactor, int window, double lrFactor, int maxRollbacks)
        implements Serializable {
    /** What a divergence does to the run. */
    public enum Policy {
        /** Fail naming step, worker and tensor; the last good checkpoint stays as it is. */
        STOP,
        /** Restore the last committed checkpoint, skip the diverged data window, lower the lr. */
        ROLLBACK
    }

    public static GuardSettings from(FrugalConfig c) {
        String p = c.getString("guard.policy");
        Policy policy = switch (p) {
            case "stop", "rollback" -> Policy.valueOf(p.toUpperCase(Locale.ROOT));
            default -> throw new ConfigError("guard.policy: unknown policy '" + p + "' (stop, rollback)");
        };
        GuardSettings g = new GuardSettings(policy, c.getDouble("guard.spike_factor"), c.getInt("guard.window"),
                c.getDouble("guard.lr_factor"), c.getInt("guard.max_rollbacks"));
        if (!(g.spikeFactor > 1)) {
            throw new ConfigError("guard.spike_factor must be above 1, got " + g.spikeFactor);
        }
        if (g.window < 1) {
            throw new ConfigError("guard.window must be positive, got " + g.window);
        }
        if (!(g.lrFactor > 0 && g.lrFactor <= 1)) {
            throw new ConfigError("guard.lr_factor must be in (0, 1], got " + g.lrFactor);
        }
        if (g.maxRollbacks < 0) {
            throw new ConfigError("guard.max_rollbacks must be 0 or more, got " + g.maxRollbacks);
        }
        if (policy == Policy.ROLLBACK && c.getInt("checkpoint.every") <= 0) {
            throw new ConfigError("guard.policy: rollback needs checkpoints to roll back to; set checkpoint.every to a positive"
                    + " number of steps (it is " + c.getInt("checkpoint.every") + ")");
        }
        return g;
    }
}
