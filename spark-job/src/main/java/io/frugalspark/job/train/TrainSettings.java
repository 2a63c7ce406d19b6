package io.frugalspark.job.train;

import io.frugalspark.job.config.ConfigError;
import io.frugalspark.job.config.FrugalConfig;
import java.io.Serializable;

/**
 * The typed, validated part of the configuration that training needs, one record per config
 * section; shipped to executors.
 *
 * @param tokensDir {@code data.output}: the tokenized corpus
 */
public record TrainSettings(String tokensDir, ModelSettings model, OptimizerSettings optimizer, LoopSettings loop,
                            EvalSettings eval, CheckpointSettings checkpoint, String metricsDir, GuardSettings guard)
        implements Serializable {

    /** {@code model.*}. */
    public record ModelSettings(String preset, boolean sltrain, boolean recompute) implements Serializable {}

    /** {@code optimizer.*}; -1 in rho, T and the lr scales keeps the preset's value. */
    public record OptimizerSettings(String preset, double lr, String schedule, double warmupFraction, double minLrRatio,
                                    double weightDecay, double rho, int updateGap, double projLrScale, double inactiveLrScale)
            implements Serializable {}

    /** {@code train.*}: batch arithmetic, length, parallelism and the data order. */
    public record LoopSettings(int globalBatch, int microBatch, int steps, int period, int workers, String aggregate,
                               long seed, boolean reshard) implements Serializable {
        /** Micro-batches per optimizer step on each worker. */
        public int accumulation() {
            return globalBatch / (workers * microBatch);
        }
    }

    /** {@code eval.*}: every N steps (0: at the end only), over this many target tokens. */
    public record EvalSettings(int every, long tokens) implements Serializable {}

    /** {@code checkpoint.*}: every N steps (0: at the end only), keeping the newest {@code keep}. */
    public record CheckpointSettings(String dir, int every, int keep) implements Serializable {}

    public static TrainSettings from(FrugalConfig c) {
        TrainSettings s = new TrainSettings(c.getPath("data.output"),
                new ModelSettings(c.getString("model.preset"), c.getBoolean("model.sltrain"), c.getBoolean("model.recompute")),
                new OptimizerSettings(c.getString("optimizer.preset"), c.getDouble("optimizer.lr"), c.getString("optimizer.schedule"),
                        c.getDouble("optimizer.warmup_fraction"), c.getDouble("optimizer.min_lr_ratio"),
                        c.getDouble("optimizer.weight_decay"), c.getDouble("optimizer.rho"), c.getInt("optimizer.T"),
                        c.getDouble("optimizer.proj_lr_scale"), c.getDouble("optimizer.inactive_lr_scale")),
                new LoopSettings(c.getInt("train.global_batch"), c.getInt("train.micro_batch"), c.getInt("train.steps"),
                        c.getInt("train.averaging.period"), c.getInt("train.workers"), c.getString("train.aggregate"),
                        c.getLong("train.seed"), c.getBoolean("train.reshard")),
                new EvalSettings(c.getInt("eval.every"), c.getLong("eval.tokens")),
                new CheckpointSettings(c.getPath("checkpoint.dir"), c.getInt("checkpoint.every"), c.getInt("checkpoint.keep")),
                c.getPath("metrics.dir"), GuardSettings.from(c));
        s.validate();
        return s;
    }

    private void validate() {
        positive("train.workers", loop.workers);
        positive("train.micro_batch", loop.microBatch);
        positive("train.global_batch", loop.globalBatch);
        positive("train.steps", loop.steps);
        positive("train.averaging.period", loop.period);
        if (loop.globalBatch % (loop.workers * loop.microBatch) != 0) {
            throw new ConfigError("train.global_batch (" + loop.globalBatch + ") must be a multiple of train.workers x train.micro_batch ("
                    + loop.workers + " x " + loop.microBatch + ")");
        }
        if (optimizer.lr <= 0) {
            throw new ConfigError("optimizer.lr must be positive, got " + optimizer.lr);
        }
        presetOrPositive("optimizer.proj_lr_scale", optimizer.projLrScale);
        presetOrPositive("optimizer.inactive_lr_scale", optimizer.inactiveLrScale);
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
}
