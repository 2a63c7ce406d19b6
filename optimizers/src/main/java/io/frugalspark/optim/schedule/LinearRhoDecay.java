package io.frugalspark.optim.schedule;

/**
 * AdaFRUGAL's density: rho(s) = max(end, start - (start - end) * min(1, s / steps)), s = 1 first. The
 * reference asserts end <= start: a floor above the start would make rho jump up at step 1.
 */
public record LinearRhoDecay(double start, double end, long steps) {
    public LinearRhoDecay {
        if (!(end >= 0 && end <= start)) {
            throw new IllegalArgumentException("rho decay needs 0 <= rho_end <= rho_start, got end " + end + " and start " + start);
        }
        if (steps < 1) {
            throw new IllegalArgumentException("rho decay needs at least one step, got " + steps);
        }
    }

    public double rho(long s) {
        return Math.max(end, start - (start - end) * Math.min(1.0, (double) s / steps));
    }
}
