package io.frugalspark.job.train;

import io.frugalspark.model.LlamaModel;
import io.frugalspark.model.LossResult;
import io.frugalspark.model.Parameter;
import io.frugalspark.optim.Optimizer;
import io.frugalspark.optim.ParamRef;
import io.frugalspark.optim.StepStats;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One model replica with its optimizer, as a worker (or a single process) holds it: runs optimizer
 * steps with gradient accumulation over micro-batches weighted by their target counts.
 */
public final class Replica implements AutoCloseable {
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

    /**
     * Fills the parameters' gradients with the gradient of the mean loss over all counted targets of
     * the micro-batches (the same as one forward/backward over their union) and returns that loss.
     */
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

    /** One optimizer step at learning rate {@code lr} on the current gradients. */
    public StepStats step(double lr) {
        return optimizer.step(refs, lr);
    }

    @Override
    public void close() {
        optimizer.close();
    }
}
