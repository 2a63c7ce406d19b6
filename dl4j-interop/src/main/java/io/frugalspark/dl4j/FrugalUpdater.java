package io.frugalspark.dl4j;

import io.frugalspark.optim.Role;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonAutoDetect;
import org.nd4j.shade.jackson.annotation.JsonAutoDetect.Visibility;

/**
 * The DL4J updater configuration of ONE tensor under a FRUGAL-family method. DL4J merges consecutive
 * parameters with equal configurations into one flat block; the tensor's index and shape are part of
 * equality so that each updater sees one whole matrix. Shapes are the optimizers module's layout:
 * [out, in] for DL4J's [nIn, nOut] weights (the same memory: DL4J stores weights in 'f' order), [n] for
 * vectors. {@link FrugalGraphs} builds these for every parameter of a network.
 */
@JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE, isGetterVisibility = Visibility.NONE,
        setterVisibility = Visibility.NONE)
public final class FrugalUpdater implements IUpdater {
    private static final long serialVersionUID = 1L;

    private FrugalSpec spec;
    private double learningRate;
    private ISchedule learningRateSchedule;
    private String role;
    /** Position among all tensors of the network (identity). */
    private int index;
    /** Position in the projectable group, -1 for regular tensors. */
    private int groupIndex;
    private long[] shape;
    /** Shapes of the projectable group, in order: block cursors and random draws run over all of them. */
    private long[][] group;
    private transient StateLayout layout;

    /** For JSON. */
    public FrugalUpdater() {
    }

    public FrugalUpdater(FrugalSpec spec, double learningRate, Role role, int index, int groupIndex, long[] shape, long[][] group) {
        this.spec = spec;
        this.learningRate = learningRate;
        this.role = role.key();
        this.index = index;
        this.groupIndex = groupIndex;
        this.shape = shape;
        this.group = group;
    }

    public FrugalSpec getSpec() { return spec; }
    public Role getRole() { return Role.of(role); }
    public int getIndex() { return index; }
    public int getGroupIndex() { return groupIndex; }
    public long[] getShape() { return shape.clone(); }
    public long[][] getGroup() { return group; }
    public ISchedule getLearningRateSchedule() { return learningRateSchedule; }

    /** Whether the tensor is in the projectable group (selector and state-free rule) rather than plain AdamW. */
    public boolean projectable() {
        return groupIndex >= 0;
    }

    StateLayout layout() {
        if (layout == null) {
            layout = new StateLayout(this);
        }
        return layout;
    }

    @Override
    public long stateSize(long numParams) {
        if (numParams != StateLayout.length(shape)) {
            throw new IllegalStateException("updater for tensor " + index + " of shape " + Arrays.toString(shape)
                    + " was given " + numParams + " parameters: DL4J merged it with a neighbour");
        }
        return layout().size();
    }

    @Override
    public GradientUpdater instantiate(INDArray viewArray, boolean initializeViewArray) {
        FrugalGradientUpdater u = new FrugalGradientUpdater(this);
        u.setStateViewArray(viewArray, shape, 'c', initializeViewArray);
        return u;
    }

    @Override
    public GradientUpdater instantiate(Map<String, INDArray> state, boolean initialize) {
        FrugalGradientUpdater u = new FrugalGradientUpdater(this);
        u.setStateViewArray(Nd4j.zeros(1, layout().size()), shape, 'c', true);
        u.setState(state, initialize);
        return u;
    }

    @Override
    public double getLearningRate(int iteration, int epoch) {
        return learningRateSchedule != null ? learningRateSchedule.valueAt(iteration, epoch) : learningRate;
    }

    @Override
    public boolean hasLearningRate() {
        return true;
    }

    @Override
    public void setLrAndSchedule(double lr, ISchedule schedule) {
        learningRate = lr;
        learningRateSchedule = schedule;
    }

    @Override
    public FrugalUpdater clone() {
        FrugalUpdater c = new FrugalUpdater(spec, learningRate, getRole(), index, groupIndex, shape.clone(), group);
        c.learningRateSchedule = learningRateSchedule == null ? null : learningRateSchedule.clone();
        return c;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FrugalUpdater u && index == u.index && groupIndex == u.groupIndex && learningRate == u.learningRate
                && role.equals(u.role) && Arrays.equals(shape, u.shape) && Arrays.deepEquals(group, u.group)
                && spec.equals(u.spec) && Objects.equals(learningRateSchedule, u.learningRateSchedule);
    }

    @Override
    public int hashCode() {
        return Objects.hash(spec, learningRate, role, index, groupIndex, Arrays.hashCode(shape), Arrays.deepHashCode(group));
    }
}
