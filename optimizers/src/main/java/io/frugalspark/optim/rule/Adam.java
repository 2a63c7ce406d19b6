package io.frugalspark.optim.rule;

import io.frugalspark.optim.TensorState;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.floating.Sqrt;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Adam with torch's placement of eps (after bias correction), written out rather than ND4J's
 * AdamUpdater, which adds eps before it. The decoupled decay of AdamW is applied by the optimizer.
 */
public record Adam(double beta1, double beta2, double eps) implements StatefulRule {
    public static final String EXP_AVG = "exp_avg";
    public static final String EXP_AVG_SQ = "exp_avg_sq";

    public static Adam defaults() {
        return new Adam(0.9, 0.999, 1e-8);
    }

    @Override
    public void init(TensorState state, INDArray example) {
        state.putMoment(EXP_AVG, Nd4j.zeros(example.dataType(), example.shape()));
        state.putMoment(EXP_AVG_SQ, Nd4j.zeros(example.dataType(), example.shape()));
    }

    @Override
    public double apply(TensorState state, INDArray g, double lr, INDArray target, INDArray scratch) {
        INDArray m = state.moment(EXP_AVG);
        INDArray v = state.moment(EXP_AVG_SQ);
        Blas.axpy(1 - beta1, g, m.muli(beta1));
        Blas.axpy(1 - beta2, g.mul(g, scratch), v.muli(beta2));
        double bc1 = 1 - Math.pow(beta1, state.step);
        double bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, state.step));
        Nd4j.exec(new Sqrt(v, scratch));
        scratch.divi(bc2Sqrt).addi(eps);
        m.div(scratch, scratch);
        double scale = -lr / bc1;
        Blas.axpy(scale, scratch, target);
        return scale * scale * Blas.dot(scratch, scratch);
    }
}
