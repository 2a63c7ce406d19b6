package io.frugalspark.job.train;

import io.frugalspark.optim.state.Selection;
import java.io.Serializable;

/**
 * What every replica does in one round, decided by the driver: the global steps
 * {@code firstStep .. firstStep + lr.length - 1}, the learning rate and density of each, the update gap T,
 * (for gradient-dependent selectors) the selection to apply at the round's first step, and where in
 * the data order the round reads.
 *
 * @param rho density per step, or null when the method has no AdaFRUGAL rho schedule
 * @param selection the subspaces to inject at the round's first step, or null
 * @param dataOffset step s reads the data of step s + dataOffset (windows a rollback skipped; 0 otherwise)
 * @param reselect whether the round's first step re-selects (the AdaFRUGAL controllers' decision),
 *     with {@code selection} as the driver-chosen active set when it is not null
 */
public record RoundPlan(long round, long firstStep, double[] lr, double[] rho, int updateGap, Selection selection,
                        long dataOffset, boolean reselect) implements Serializable {

    public int steps() {
        return lr.length;
    }

    public long endStep() {
        return firstStep + lr.length;
    }
}
