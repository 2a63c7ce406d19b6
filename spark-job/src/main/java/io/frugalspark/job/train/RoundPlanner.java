package io.frugalspark.job.train;

import io.frugalspark.optim.method.Method;
import io.frugalspark.optim.state.OptimizerState;
import io.frugalspark.optim.state.Selection;
import java.util.function.LongFunction;
import java.util.function.LongToDoubleFunction;

/**
 * Decides each round before it runs: its steps (cut at the averaging period, at evaluations,
 * checkpoints and, for gradient-dependent selectors, re-selections), every step's lr and rho, T, and
 * a driver-built selection when one falls on the round's first step; the divergence guard adds its
 * lr factor and data offset. Pure given the controllers; the
 * selection comes from a callback that runs the gradient job.
 */
final class RoundPlanner {
    private final TrainSettings s;
    private final Method method;
    private final Controllers controllers;
    private final DivergenceGuard guard;

    RoundPlanner(TrainSettings s, Method method, Controllers controllers, DivergenceGuard guard) {
        this.s = s;
        this.method = method;
        this.controllers = controllers;
        this.guard = guard;
    }

    /**
     * The plan of round {@code round} starting at {@code step}; {@code head} is the optimizer state's
     * counters and selections, {@code selectionAt} builds a selection from the averaged gradients at a step.
     */
    RoundPlan plan(long round, long step, OptimizerState head, LongFunction<Selection> selectionAt) {
        long end = Math.min(s.loop().steps(), step + s.loop().period());
        end = Math.min(end, nextMultiple(step, s.eval().every()));
        end = Math.min(end, nextMultiple(step, s.checkpoint().every()));
        end = Math.min(end, guard.nextSkipAfter(step)); // the data offset is one per round
        Selection selection = null;
        // A gradient-dependent selection (svd) falls on a round's first step, where the driver builds it
        // from the averaged gradients; the round ends before the next one.
        if (method.selectionNeedsGradients()) {
            int gap = controllers.updateGap();
            long until = method.stepsUntilReselection(head, gap);
            if (until == 0) {
                selection = selectionAt.apply(step);
                until = gap;
            }
            end = Math.min(end, step + until);
        }
        // rho is null when the method keeps its own density
        double[] rho = controllers.adaptiveRho() ? perStep(step, end, controllers::rho) : null;
        double lrFactor = guard.lrFactor(); // below 1 after rollbacks
        double[] lr = perStep(step, end, at -> controllers.lr(at) * lrFactor);
        return new RoundPlan(round, step, lr, rho, controllers.updateGap(), selection, guard.dataOffset(step));
    }

    /** A controller's value at each step of {@code [from, end)}. */
    private static double[] perStep(long from, long end, LongToDoubleFunction value) {
        double[] out = new double[(int) (end - from)];
        for (int i = 0; i < out.length; i++) {
            out[i] = value.applyAsDouble(from + i);
        }
        return out;
    }

    boolean evalDue(long step) {
        return step == s.loop().steps() || (s.eval().every() > 0 && step % s.eval().every() == 0);
    }

    boolean checkpointDue(long step) {
        return step == s.loop().steps() || (s.checkpoint().every() > 0 && step % s.checkpoint().every() == 0);
    }

    private static long nextMultiple(long from, int every) {
        return every <= 0 ? Long.MAX_VALUE : (from / every + 1) * every;
    }
}
