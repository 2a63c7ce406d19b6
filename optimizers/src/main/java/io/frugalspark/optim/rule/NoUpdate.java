package io.frugalspark.optim.rule;

import org.nd4j.linalg.api.ndarray.INDArray;

/** The rule 'no': coordinates outside the subspace are frozen (GaLore, BAdam). */
public record NoUpdate() implements StatelessRule {
    @Override
    public double apply(INDArray g, double lr, INDArray target, INDArray scratch) {
        return 0;
    }

    @Override
    public boolean updates() {
        return false;
    }
}
