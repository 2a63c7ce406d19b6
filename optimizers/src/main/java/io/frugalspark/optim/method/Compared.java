package io.frugalspark.optim.method;

/**
 * One row of the method comparison: a label a reader of the papers recognises, the method, whether
 * the model is SLTrain's sparse-plus-low-rank one, and the learning rates swept (the best is kept).
 */
public record Compared(String label, Method method, boolean sltrain, double[] lrs) {
    public Compared {
        lrs = lrs.clone();
    }

    @Override
    public double[] lrs() {
        return lrs.clone();
    }
}
