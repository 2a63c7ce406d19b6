package io.frugalspark.job.train;

import io.frugalspark.job.config.ConfigError;
import io.frugalspark.job.config.FrugalConfig;
import java.io.Serializable;

/** The typed, validated part of the configuration that training needs; shipped to executors. */
public record TrainSettings(
        String tokensDir,
        String modelPreset,
        boolean sltrain,
        boolean recompute,
        String optimizerPreset,
        double lr,
        String schedule,
        double warmupFraction,
        double minLrRatio,
        double weightDecay,
        double rho,
        int updateGap,
        double projLrScale,
        double inactiveLrScale,
        int globalBatch,
        int microBatch,
        int steps,
        int period,
        int workers,
        String aggregate,
        long seed,
        boolean reshard,
        int evalEvery,
        long evalTokens,
        String checkpointDir,
        int checkpointEvery,
        int checkpointKeep,
        String metricsDir,
        GuardSettings guard) implements Serializable {

    public static TrainSettings from(FrugalConfig c) {
        TrainSettings s = new TrainSettings(
                c.getPath("data.output"), c.getString("model.preset"), c.getBoolean("model.sltrain"),
                c.getBoolean("model.recompute"), c.getString("optimizer.preset"), c.getDouble("optimizer.lr"),
                c.getString("optimizer.schedule"), c.getDouble("optimizer.warmup_fraction"),
                c.getDouble("optimizer.min_lr_ratio"), c.getDouble("optimizer.weight_decay"),
                c.getDouble("optimizer.rho"), c.getInt("optimizer.T"), c.getDouble("optimizer.proj_lr_scale"),
                c.getDouble("optimizer.inactive_lr_scale"), c.getInt("train.global_batch"),
                c.getInt("train.micro_batch"), c.getInt("train.steps"), c.getInt("train.averaging.period"),
                c.getInt("train.workers"), c.getString("train.aggregate"), c.getLong("train.seed"), c.getBoolean("train.reshard"), c.getInt("eval.every"), c.getLong("eval.tokens"),
                c.getPath("checkpoint.dir"), c.getInt("checkpoint.every"), c.getInt("checkpoint.keep"),
                c.getPath("metrics.dir"), GuardSettings.from(c));
        s.validate();
        return s;
    }

    private void validate() {
        positive("train.workers", workers);
        positive("train.micro_batch", microBatch);
        positive("train.global_batch", globalBatch);
        positive("train.steps", steps);
        positive("train.averaging.period", period);
        if (globalBatch % (workers * microBatch) != 0) {
            throw new ConfigError("train.global_batch (" + globalBatch + ") must be a multiple of train.workers x train.micro_batch ("
                    + workers + " x " + microBatch + ")");
        }
        if (lr <= 0) {
            throw new ConfigError("optimizer.lr must be positive, got " + lr);
        }
        presetOrPositive("optimizer.proj_lr_scale", projLrScale);
        presetOrPositive("optimizer.inactive_lr_scale", inactiveLrScale);
    }

    /** -1 keeps the preset's value; anything else must be positive. */
    private static void presetOrPositive(String key, double v) {
        if (v != -1 && !(v > 0)) {
            throw new ConfigError(key + " must be positive, or -1 for the preset's default; got " + v);
        }
    }

    private static void positive(String key, long v) {
        if (v <= 0) {
            throw new ConfigError(key + " must be positive, got " + v);
        }
    }

    /** Micro-batches per optimizer step on each worker. */
    public int accumulation() {
        return globalBatch / (workers * microBatch);
    }
}
