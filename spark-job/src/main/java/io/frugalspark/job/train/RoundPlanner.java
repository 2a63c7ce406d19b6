package io.frugalspark.job.train;

import io.frugalspark.optim.method.Method;
import io.frugalspark.optim.state.OptimizerState;
import io.frugalspark.optim.state.Selection;
import io.frugalspark.optim.state.TensorRecord;
import java.util.function.LongFunction;
import java.util.function.LongToDoubleFunction;

/**
 * Decides each round before it runs: its steps (cut at the averaging period, at evaluations,
 * checkpoints and, for gradient-dependent selectors, re-selections), every step's lr and rho, T, and
 * a driver-built selection when one falls on the round's first step (svd bases, or the AdaFRUGAL
 * controllers' re-selection); the divergence guard adds its lr factor and data offset. Pure given
 * the controllers; an svd selection comes from a callback that runs the gradient job.
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
        long end = end(step, head);
        Controllers.Reselection next = controllers.takeReselection();
        Selection selection = next == null ? null : next.activeSet();
        // A gradient-dependent selection (svd) falls on a round's first step, where the driver builds it
        // from the averaged gradients; the round ends before the next one.
        if (method.selectionNeedsGradients()) {
            long until = method.stepsUntilReselection(head, controllers.updateGap());
            if (until == 0) {
                selection = selectionAt.apply(step);
            }
            end = Math.min(end, step + untilNext(head));
        }
        double[] rho = controllers.adaptiveRho() ? perStep(step, end, controllers::rho) : null;
        double lrFactor = guard.lrFactor(); // below 1 after rollbacks
        double[] lr = perStep(step, end, at -> controllers.lr(at) * lrFactor);
        return new RoundPlan(round, step, lr, rho, controllers.updateGap(), selection, guard.dataOffset(step), next != null);
    }

    /**
     * Where a round from {@code step} ends at the latest: the averaging period, evaluations, checkpoints,
     * loss checks, rollback skips, and for statistics-driven controllers the next re-selection and the
     * next change of the block count (their statistics are read per round).
     */
    private long end(long step, OptimizerState head) {
        long end = Math.min(s.loop().steps(), step + s.loop().period());
        end = Math.min(end, nextMultiple(step, s.eval().every()));
        end = Math.min(end, nextMultiple(step, s.checkpoint().every()));
        end = Math.min(end, controllers.nextLossCheck(step));
        end = Math.min(end, guard.nextSkipAfter(step)); // the data offset is one per round
        if (controllers.readsStatistics()) {
            int group = (int) head.tensors().stream().filter(TensorRecord::inGroup).count();
            end = Math.min(end, step + controllers.stepsUntilBlockCountChange(step, group, end - step));
            end = Math.min(end, step + untilNext(head));
        }
        return end;
    }

    /** Steps to the next re-selection; at a re-selection step, to the one after it. */
    private long untilNext(OptimizerState head) {
        int gap = controllers.updateGap();
        long until = method.stepsUntilReselection(head, gap);
        return until == 0 ? gap : until;
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
