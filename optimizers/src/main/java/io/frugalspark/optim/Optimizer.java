package io.frugalspark.optim;

import java.util.List;

/** An optimizer over named tensors with roles; parameters are updated in place. */
public interface Optimizer {

    /** One step at base learning rate {@code lr}; params in the model's order. */
    StepStats step(List<ParamRef> params, double lr);

    /** A deep copy of the state: moments, selections, counters. */
    OptimizerState state();

    /** Replaces the state by (a copy of) {@code state}; {@code state()} afterwards equals it exactly. */
    void load(OptimizerState state);

    /** Bytes held by live state arrays (moments, bases, indices), summed over tensors. */
    long stateBytes();
}
