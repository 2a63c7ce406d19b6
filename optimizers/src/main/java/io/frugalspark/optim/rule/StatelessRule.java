package io.frugalspark.optim.rule;

import org.nd4j.linalg.api.ndarray.INDArray;

/** A state-free rule for the complement of the selected subspace (signSGD, SGD, SinkGD, SWAN, none). */
public interface StatelessRule {

    /**
     * Adds {@code -lr * rule(g)} into {@code target}; {@code scratch} is a buffer shaped like g.
     * Returns the squared norm of what was added.
     */
    double apply(INDArray g, double lr, INDArray target, INDArray scratch);

    /** False for the rule 'no' (GaLore, BAdam): the complement is not updated at all. */
    default boolean updates() {
        return true;
    }
}
