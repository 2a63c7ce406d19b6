package io.frugalspark.optim.rule;

import io.frugalspark.optim.TensorState;
import org.nd4j.linalg.api.ndarray.INDArray;

/** An update rule with moments (AdamW, SGD with momentum, Lion), applied in the selected subspace. */
public interface StatefulRule {

    /**
     * Allocates the moments shaped like {@code example}: the projected gradient, or for a regular
     * tensor its parameter (the reference's SGD copies whichever it is given).
     */
    void init(TensorState state, INDArray example);

    /** How many arrays {@link #init} allocates, each shaped like its example. */
    int moments();

    /**
     * Adds this step's update for gradient {@code g} into {@code target} ({@code state.step} is already
     * incremented); {@code scratch} is a buffer shaped like g. Returns the squared norm of the update.
     */
    double apply(TensorState state, INDArray g, double lr, INDArray target, INDArray scratch);
}
