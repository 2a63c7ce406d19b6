package io.frugalspark.model;

/**
 * Cross-entropy summed over the counted (non-ignored) targets of a batch, and their number, so
 * token-weighted means combine across batches and workers.
 */
public record LossResult(double sum, long count) {
    /** Mean loss per counted target; NaN when nothing was counted. */
    public double mean() {
        return count == 0 ? Double.NaN : sum / count;
    }

    public LossResult plus(LossResult o) {
        return new LossResult(sum + o.sum, count + o.count);
    }
}
