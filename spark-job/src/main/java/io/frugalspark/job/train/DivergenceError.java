package io.frugalspark.job.train;

/** A run stopped by its divergence guard; the last committed checkpoint is untouched. */
public final class DivergenceError extends RuntimeException {
    private final transient Divergence divergence;

    public DivergenceError(Divergence divergence, String advice) {
        super("training diverged: " + divergence.message() + ". " + advice);
        this.divergence = divergence;
    }

    public Divergence divergence() {
        return divergence;
    }
}
