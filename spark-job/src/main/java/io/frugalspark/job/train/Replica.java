package io.frugalspark.job.train;

import io.frugalspark.model.LlamaModel;
import io.frugalspark.model.LossResult;
import io.frugalspark.model.Parameter;
import io.frugalspark.optim.Optimizer;
import io.frugalspark.optim.ParamRef;
import io.frugalspark.optim.StepStats;
import io.frugalspark.optim.state.Selection;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;

/**
 * The ND4J (CPU) engine: one model replica with its optimizer, as a worker (or a single process)
 * holds it. Runs optimizer steps with gradient accumulation over micro-batches weighted by their
 * target counts. The driver keeps one too, for what only it does (svd bases from averaged
 * gradients, checkpoints, export), so it exposes the model and the optimizer besides the seam.
 */
public final class Replica implements ReplicaEngine {
    private final LlamaModel model;
    private final Optimizer optimizer;
    private final List<ParamRef> refs = new ArrayList<>();
    private final List<INDArray> accum = new ArrayList<>();

    public Replica(LlamaModel model, Optimizer optimizer) {
        this.model = model;
        this.optimizer = optimizer;
        for (Parameter p : model.parameters()) {
            if (p.trainable()) {
                refs.add(ParamRef.of(p.name(), p.role(), p.value(), p.grad()));
                accum.add(p.grad().like());
            }
        }
    }

    public LlamaModel model() {
        return model;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    public List<ParamRef> refs() {
        return refs;
    }

    @Override
    public void loadParameters(List<byte[]> chunks) {
        model.setTrainableValues(Chunks.toTensors(chunks));
    }

    @Override
    public void loadState(List<byte[]> chunks) {
        optimizer.load(Chunks.toState(chunks));
    }

    @Override
    public LossResult accumulateGradients(List<int[][]> microBatches, int ignoreIndex) {
        if (microBatches.size() == 1) {
            return model.forwardBackward(microBatches.get(0), ignoreIndex);
        }
        LossResult total = new LossResult(0, 0);
        for (INDArray a : accum) {
            a.assign(0);
        }
        for (int[][] mb : microBatches) {
            LossResult r = model.forwardBackward(mb, ignoreIndex);
            total = total.plus(r);
            for (int i = 0; i < refs.size(); i++) {
                accum.get(i).addi(refs.get(i).grad().mul(r.count()));
            }
        }
        double inv = total.count() == 0 ? 0 : 1.0 / total.count();
        for (int i = 0; i < refs.size(); i++) {
            refs.get(i).grad().assign(accum.get(i)).muli(inv);
        }
        return total;
    }

    @Override
    public StepStats step(RoundPlan plan, int i) {
        if (plan.rho() != null) {
            optimizer.setDensity(plan.rho()[i]);
        }
        optimizer.setUpdateGap(plan.updateGap());
        if (i == 0 && plan.selection() != null) {
            optimizer.inject(plan.selection());
        }
        if (i == 0 && plan.reselect()) {
            optimizer.reselectNext();
        }
        return optimizer.step(refs, plan.lr()[i]);
    }

    /** The optimizer's own selection rule on the given gradients (chunks) and state: the driver's svd bases. */
    public Selection selectionFrom(List<byte[]> gradients, List<byte[]> state) {
        List<INDArray> mean = Chunks.toTensors(gradients);
        for (int i = 0; i < refs.size(); i++) {
            refs.get(i).grad().assign(mean.get(i));
        }
        loadState(state);
        return optimizer.computeSelection(refs);
    }

    @Override
    public LossResult loss(int[][] batch, int ignoreIndex) {
        return model.loss(batch, ignoreIndex);
    }

    @Override
    public List<byte[]> exportParameters(long maxChunkBytes) {
        return Chunks.ofTensors(model.trainableValues(), maxChunkBytes);
    }

    @Override
    public List<byte[]> exportGradients(long maxChunkBytes) {
        return Chunks.ofTensors(refs.stream().map(ParamRef::grad).toList(), maxChunkBytes);
    }

    @Override
    public List<byte[]> exportState(long maxChunkBytes) {
        return Chunks.ofState(optimizer.state(), maxChunkBytes);
    }

    @Override
    public NonFinite firstNonFinite() {
        NonFinite gradient = first("gradient", ParamRef::grad);
        return gradient != null ? gradient : firstNonFiniteParameter();
    }

    /** The first trainable parameter holding a NaN or an infinity, or null (what a checkpoint must not hold). */
    public NonFinite firstNonFiniteParameter() {
        return first("parameter", ParamRef::param);
    }

    private NonFinite first(String kind, Function<ParamRef, INDArray> tensor) {
        for (ParamRef p : refs) {
            if (BooleanIndexing.or(tensor.apply(p), Conditions.notFinite())) {
                return new NonFinite(kind, p.name());
            }
        }
        return null;
    }

    @Override
    public long stateBytes() {
        return optimizer.stateBytes();
    }

    @Override
    public void close() {
        optimizer.close();
    }
}
