package io.frugalspark.dl4j;

import io.frugalspark.optim.Frugal;
import io.frugalspark.optim.ParamRef;
import io.frugalspark.optim.Partition;
import io.frugalspark.optim.TensorState;
import io.frugalspark.optim.rule.Adam;
import io.frugalspark.optim.select.Density;
import io.frugalspark.optim.select.Footprint;
import io.frugalspark.optim.select.Selector;
import io.frugalspark.optim.state.OptimizerState;
import io.frugalspark.optim.state.Selection;
import io.frugalspark.optim.state.SubspaceRecord;
import io.frugalspark.optim.state.TensorRecord;
import io.frugalspark.optim.subspace.Block;
import io.frugalspark.optim.subspace.Projection;
import io.frugalspark.optim.subspace.Projector;
import io.frugalspark.optim.subspace.Subspace;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;

/**
 * Runs one tensor's step through a one-tensor FRUGAL optimizer of the optimizers module. Everything it
 * needs is rebuilt each call from the DL4J state view: the moments (and SVD bases) and a step counter
 * live in the view, selections are functions of (seed, step). The step is the view's counter, not
 * DL4J's iteration, which dl4j-spark restarts every averaging split (see {@link StateLayout}). The optimizer
 * adds its update into a zero "parameter"; DL4J subtracts what this returns, so it returns the
 * negated update. Decay is DL4J's weightDecay regularization, applied after this with the same lr.
 */
final class FrugalGradientUpdater implements GradientUpdater<FrugalUpdater> {
    private static final String NAME = "tensor";
    private static final String[] MOMENTS = {Adam.EXP_AVG, Adam.EXP_AVG_SQ};

    private final FrugalUpdater config;
    private final StateLayout layout;
    private final Frugal stepper;
    /** The stepper's bare state (counters, rho, T): each call starts from it, plus this tensor's record. */
    private final OptimizerState template;
    private final SelectionPlan plan;
    private INDArray view;

    FrugalGradientUpdater(FrugalUpdater config) {
        this.config = config;
        this.layout = config.layout();
        this.stepper = config.getSpec().optimizer(config.projectable() ? Partition.ALL : Partition.NONE)
                .selector(() -> INJECTED).build();
        this.template = stepper.state();
        this.plan = config.projectable() ? new SelectionPlan(config.getSpec(), config.getGroup()) : null;
    }

    @Override
    public FrugalUpdater getConfig() {
        return config;
    }

    @Override
    public void setStateViewArray(INDArray viewArray, long[] gradientShape, char gradientOrder, boolean initialize) {
        if (initialize) {
            viewArray.assign(0);
        }
        view = viewArray.reshape(viewArray.length());
    }

    @Override
    public Map<String, INDArray> getState() {
        return Map.of(STATE, view);
    }

    @Override
    public void setState(Map<String, INDArray> state, boolean initialize) {
        view.assign(state.get(STATE).reshape(view.length()));
    }

    @Override
    public void applyUpdater(INDArray gradient, int iteration, int epoch) {
        long t = layout.steps(view);
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            step(gradient, t, epoch); // state, selections and work buffers outlive DL4J's workspaces
        }
        layout.putSteps(view, t + 1);
    }

    private void step(INDArray gradient, long t, int epoch) {
        long[] shape = config.getShape();
        INDArray g = gradient.dup().reshape('c', shape);
        INDArray update = Nd4j.zeros(g.dataType(), shape);
        boolean fresh = load(t, g);
        stepper.step(List.of(new ParamRef(NAME, config.getRole(), update, g)), config.getLearningRate((int) t, epoch));
        save(fresh);
        gradient.assign(update.negi().reshape('c', gradient.shape()));
        update.close();
        g.close();
    }

    /** Loads the stepper with this call's selection, step counter and moments; true when a period starts. */
    private boolean load(long t, INDArray g) {
        SelectionPlan.Period period = plan == null ? null : plan.period(t);
        long start = period == null ? 0 : period.start();
        Subspace sub = period == null ? Block.ACTIVE : subspace(t, period, g);
        SubspaceRecord record = sub.record(); // one copy of an svd basis serves both the state and the injection
        stepper.load(template.with(new TensorRecord(NAME, t - start, plan != null, record, Map.of())));
        boolean fresh = plan != null && t == start;
        if (fresh) {
            stepper.inject(new Selection(Map.of(NAME, record)));
        } else if (sub != Block.INACTIVE) {
            long[] low = sub instanceof Projector p ? p.lowShape(config.getShape()) : config.getShape();
            TensorState st = stepper.tensorState(NAME);
            for (int i = 0; i < MOMENTS.length; i++) {
                st.putMoment(MOMENTS[i], layout.moment(view, i, low).dup());
            }
        }
        return fresh;
    }

    /** The selection of this call: the plan's draw, or an SVD basis of this period's first gradient (kept in the view). */
    private Subspace subspace(long t, SelectionPlan.Period period, INDArray g) {
        if (!config.getSpec().svd()) {
            return plan.subspace(t, config.getGroupIndex());
        }
        if (t == period.start()) {
            return config.getSpec().projectionSelector().project(g, period.density(), null);
        }
        return layout.basis(config, period.density(), view);
    }

    /** Writes the stepper's moments (zeros where it holds none) and a fresh SVD basis back into the view. */
    private void save(boolean fresh) {
        TensorState st = stepper.tensorState(NAME);
        for (int i = 0; i < MOMENTS.length; i++) {
            INDArray m = st.moment(MOMENTS[i]);
            if (m == null) {
                layout.moment(view, i, new long[] {layout.momentLength()}).assign(0);
            } else {
                layout.moment(view, i, m.shape()).assign(m);
            }
        }
        if (fresh && st.subspace instanceof Projection p && config.getSpec().svd()) {
            layout.putBasis(p, view);
        }
    }

    private static final String STATE = "frugal";

    /** The stepper never selects: every selection is injected from the plan. */
    private static final Selector INJECTED = new Selector() {
        @Override
        public List<Subspace> select(List<ParamRef> group, Density density, SplittableRandom rng) {
            throw new IllegalStateException("selections are injected");
        }

        @Override
        public List<Footprint> footprint(List<long[]> shapes, Density density, SplittableRandom rng) {
            throw new IllegalStateException("selections are injected");
        }
    };
}
