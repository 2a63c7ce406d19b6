package io.frugalspark.dl4j;

import io.frugalspark.optim.Frugal;
import io.frugalspark.optim.ParamRef;
import io.frugalspark.optim.Partition;
import io.frugalspark.optim.Role;
import io.frugalspark.optim.select.Density;
import io.frugalspark.optim.state.OptimizerState;
import io.frugalspark.optim.state.OptimizerState.Counters;
import io.frugalspark.optim.subspace.Subspace;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The selection in force at optimizer call t as a pure function of (spec, group shapes, t): DL4J's
 * training master rebuilds updaters every round, so nothing may depend on an updater's history.
 * Periods follow the reference cadence (a re-selection every T calls, and for AdaFRUGAL's block
 * counts whenever floor(rho * N) changes); the selections themselves are drawn by a FRUGAL optimizer
 * of the optimizers module, replayed from call 0 so that block cursors advance exactly as there.
 * Projections from SVD depend on the gradient, not on t: they are the updater's business.
 */
final class SelectionPlan {
    /** Read-only zero tensors that stand in for the group: selectors only look at their shapes. */
    private static final Map<List<Long>, INDArray> ZEROS = new ConcurrentHashMap<>();

    /** The index-th re-selection, in force from call start (inclusive) to end (exclusive). */
    record Period(long index, long start, long end, Density density) {
    }

    private final FrugalSpec spec;
    private final List<ParamRef> group = new ArrayList<>();
    private final Frugal planner;
    private Period current = new Period(-1, 0, 0, null);
    private List<Subspace> selection;

    SelectionPlan(FrugalSpec spec, long[][] groupShapes) {
        this.spec = spec;
        for (int i = 0; i < groupShapes.length; i++) {
            INDArray z = zeros(groupShapes[i]);
            group.add(new ParamRef("g" + i, Role.MLP, z, z));
        }
        planner = spec.optimizer(Partition.ALL).build();
    }

    Period period(long t) {
        if (t < current.start()) {
            throw new IllegalStateException("optimizer call " + t + " precedes the period in force (" + current.start() + ")");
        }
        while (t >= current.end()) {
            advance();
        }
        return current;
    }

    /** The subspace of group tensor i in the period of call t (not for SVD projections). */
    Subspace subspace(long t, int i) {
        period(t);
        return selection.get(i);
    }

    private void advance() {
        long start = current.end();
        Density d = spec.density(start);
        current = new Period(current.index() + 1, start, nextBoundary(start, d), d);
        if (!spec.svd()) {
            selection = draw(current);
        }
    }

    private long nextBoundary(long start, Density d) {
        long end = start + spec.updateGap();
        if (spec.blocks() && spec.adaptive()) {
            int n = group.size();
            for (long s = start + 1; s < end; s++) {
                if (spec.density(s).blocks(n) != d.blocks(n)) {
                    return s;
                }
            }
        }
        return end;
    }

    /** The planner's next selection at re-selection index p.index(); its state carries the block cursor on. */
    private List<Subspace> draw(Period p) {
        OptimizerState s = planner.state();
        Counters c = s.counters();
        planner.load(new OptimizerState(new Counters(c.calls(), p.index(), p.density().rho(), p.density().updated(),
                c.updateGap(), c.selectorCursor()), s.tensors()));
        return planner.computeSelection(group).subspaces().values().stream().map(Subspace::of).toList();
    }

    private static INDArray zeros(long[] shape) {
        return ZEROS.computeIfAbsent(Arrays.stream(shape).boxed().toList(), k -> Nd4j.zeros(DataType.FLOAT, shape));
    }
}
