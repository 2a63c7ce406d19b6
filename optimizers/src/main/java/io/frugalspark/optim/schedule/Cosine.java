package io.frugalspark.optim.schedule;

/** Linear warmup, then one cosine from 1 down to minRatio at {@code total}, flat afterwards. */
public record Cosine(long warmup, long total, double minRatio) implements LrSchedule {
    @Override
    public double multiplier(long s) {
        if (s < warmup) {
            return (double) s / Math.max(1, warmup);
        }
        double p = Math.min(1.0, (double) (s - warmup) / Math.max(1, total - warmup));
        return minRatio + (1 - minRatio) * 0.5 * (1 + Math.cos(Math.PI * p));
    }
}
