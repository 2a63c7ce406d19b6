package io.frugalspark.optim.schedule;

/**
 * The reference's cyclic cosine with warmup (ALGORITHMS.md section 7): linear warmup c/warmup, then
 * cosine from 1 to minRatio over the rest of the cycle; the first two calls of later cycles use 1e-7.
 */
public record CyclicCosine(long warmup, long cycle, double minRatio) implements LrSchedule {
    @Override
    public double multiplier(long s) {
        long c = s % cycle;
        if (c < warmup) {
            return s != c && c < 2 ? 1e-7 : (double) c / Math.max(1, warmup);
        }
        double p = (double) (c - warmup) / Math.max(1, cycle - warmup);
        return minRatio + (1 - minRatio) * 0.5 * (1 + Math.cos(Math.PI * p));
    }
}
