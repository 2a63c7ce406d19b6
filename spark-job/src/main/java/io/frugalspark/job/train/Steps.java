package io.frugalspark.job.train;

import io.frugalspark.optim.Optimizer;

/** Applies the driver's per-step decisions (density, gap, injected selection) to a replica's optimizer. */
final class Steps {
    private Steps() {}

    static void prepare(Optimizer optimizer, RoundPlan plan, int i) {
        if (plan.rho() != null) {
            optimizer.setDensity(plan.rho()[i]);
        }
        optimizer.setUpdateGap(plan.updateGap());
        if (i == 0 && plan.selection() != null) {
            optimizer.inject(plan.selection());
        }
    }
}
