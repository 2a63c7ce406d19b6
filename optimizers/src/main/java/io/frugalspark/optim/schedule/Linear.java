package io.frugalspark.optim.schedule;

/** Linear warmup, then a straight line from 1 down to minRatio at {@code total}, flat afterwards. */
public record Linear(long warmup, long total, double minRatio) implements LrSchedule {
    @Override
    public double multiplier(long s) {
        if (s < warmup) {
            return (double) s / Math.max(1, warmup);
        }
        double p = Math.min(1.0, (double) (s - warmup) / Math.max(1, total - warmup));
        return 1 - (1 - minRatio) * p;
    }
}
