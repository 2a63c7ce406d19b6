package io.frugalspark.optim.schedule;

/**
 * AdaFRUGAL's loss-aware update gap: after each validation loss, if it moved by less than tau
 * (relative) and lies under the guard, T grows by gamma (rounded half-to-even, capped at tMax).
 * T never shrinks. Unlike the reference, which counts evaluations (E = 5000, so T never changes in
 * its own scripts), checks happen every {@code checkEvery} training steps.
 */
public final class LossAwareGap {
    private final int tMax;
    private final double gamma;
    private final double tau;
    private final double guard;
    private final long checkEvery;
    private int gap;
    private double previous = Double.POSITIVE_INFINITY;

    public LossAwareGap(int tStart, int tMax, double gamma, double tau, double guard, long checkEvery) {
        this.tMax = tMax;
        this.gamma = gamma;
        this.tau = tau;
        this.guard = guard;
        this.checkEvery = checkEvery;
        this.gap = tStart;
    }

    public static LossAwareGap defaults(long checkEvery) {
        return new LossAwareGap(100, 1000, 1.5, 0.005, 20, checkEvery);
    }

    /** Whether training step s (1-based) ends with a loss check. */
    public boolean checksAt(long s) {
        return s % checkEvery == 0;
    }

    /** Feeds a validation loss (averaged over workers) and returns the gap now in force. */
    public int observe(double loss) {
        double rel = Math.abs(loss - previous) / (previous + 1e-9);
        if (rel < tau && loss < guard) {
            gap = (int) Math.min(tMax, Math.rint(gap * gamma));
        }
        previous = loss;
        return gap;
    }

    public int gap() {
        return gap;
    }

    public double previousLoss() {
        return previous;
    }

    /** Restores a checkpointed controller. */
    public void restore(int gap, double previousLoss) {
        this.gap = gap;
        this.previous = previousLoss;
    }
}
