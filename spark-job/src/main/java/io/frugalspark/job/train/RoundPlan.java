package io.frugalspark.job.train;

import io.frugalspark.optim.state.Selection;
import java.io.Serializable;

/**
 * What every replica does in one round, decided by the driver: the global steps
 * {@code firstStep .. firstStep + lr.length - 1}, the learning rate and density of each, the update gap T,
 * and (for gradient-dependent selectors) the selection to apply at the round's first step.
 *
 * @param rho density per step, or null when the method has no AdaFRUGAL rho schedule
 * @param selection the subspaces to inject at the round's first step, or null
 */
public record RoundPlan(long round, long firstStep, double[] lr, double[] rho, int updateGap, Selection selection)
        implements Serializable {

    public int steps() {
        return lr.length;
    }

    public long endStep() {
        return firstStep + lr.length;
    }
}
