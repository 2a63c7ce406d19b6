package io.frugalspark.optim.rule;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Plain SGD on the complement: -lr * g. */
public record Sgd() implements StatelessRule {
    @Override
    public double apply(INDArray g, double lr, INDArray target, INDArray scratch) {
        Blas.axpy(-lr, g, target);
        return lr * lr * Blas.dot(g, g);
    }
}
