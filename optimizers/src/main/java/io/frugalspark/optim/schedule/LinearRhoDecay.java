package io.frugalspark.optim.schedule;

/** AdaFRUGAL's density: rho(s) = max(end, start - (start - end) * min(1, s / steps)), s = 1 first. */
public record LinearRhoDecay(double start, double end, long steps) {
    public double rho(long s) {
        return Math.max(end, start - (start - end) * Math.min(1.0, (double) s / steps));
    }
}
