package io.frugalspark.optim;

import io.frugalspark.optim.state.OptimizerState;
import io.frugalspark.optim.state.Selection;
import java.util.List;

/**
 * An optimizer over named tensors with roles; parameters are updated in place. Besides stepping, it
 * takes the driver's per-step decisions (density, update gap, a selection built from averaged
 * gradients) so that every replica applies the same ones.
 */
public interface Optimizer extends AutoCloseable {

    /** One step at base learning rate {@code lr}; params in the model's order. */
    StepStats step(List<ParamRef> params, double lr);

    /** The density rho from the next step on (AdaFRUGAL's controller). */
    void setDensity(double rho);

    /** The update gap T from the next step on. */
    void setUpdateGap(int t);

    /** Uses {@code selection} (every projectable tensor's subspace) at the next re-selection. */
    void inject(Selection selection);

    /**
     * Re-selects at the next step whatever T says (the driver's drift-aware T decided so), with the
     * injected selection when one is pending; counters reset as at any re-selection.
     */
    void reselectNext();

    /** Draws the next selection from {@code params}' gradients and makes it this optimizer's next one. */
    Selection computeSelection(List<ParamRef> params);

    /** A deep copy of the state: moments, selections, counters. */
    OptimizerState state();

    /** Replaces the state by (a copy of) {@code state}; {@code state()} afterwards equals it exactly. */
    void load(OptimizerState state);

    /** Bytes held by live state arrays (moments, bases, indices), summed over tensors. */
    long stateBytes();

    /** Frees every state array and work buffer now. */
    @Override
    void close();
}
