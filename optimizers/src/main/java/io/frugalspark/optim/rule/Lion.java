package io.frugalspark.optim.rule;

import io.frugalspark.optim.TensorState;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Lion: update -lr*sign(b1*m + (1-b1)*g), then m = b2*m + (1-b2)*g; one moment, sign(0) = 0, sign(NaN) = NaN. */
public record Lion(double beta1, double beta2) implements StatefulRule {
    public static final String EXP_AVG = "exp_avg";

    public static Lion defaults() {
        return new Lion(0.9, 0.99);
    }

    @Override
    public int moments() {
        return 1;
    }

    @Override
    public void init(TensorState state, INDArray example) {
        state.putMoment(EXP_AVG, Nd4j.zeros(example.dataType(), example.shape()));
    }

    @Override
    public double apply(TensorState state, INDArray g, double lr, INDArray target, INDArray scratch) {
        INDArray m = state.moment(EXP_AVG);
        scratch.assign(m).muli(beta1);
        Blas.axpy(1 - beta1, g, scratch);
        SignSgd.sign(scratch, scratch);
        Blas.axpy(-lr, scratch, target);
        Blas.axpy(1 - beta2, g, m.muli(beta2));
        return lr * lr * Blas.dot(scratch, scratch);
    }
}
