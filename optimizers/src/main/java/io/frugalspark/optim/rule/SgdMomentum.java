package io.frugalspark.optim.rule;

import io.frugalspark.optim.TensorState;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * SGD with momentum: buf = mu*buf + (1-dampening)*g, update -lr*buf. The buffer starts at zero;
 * {@code copyInit} reproduces the reference, which starts it at a copy of its example tensor.
 */
public record SgdMomentum(double momentum, double dampening, boolean copyInit) implements StatefulRule {
    public static final String BUFFER = "momentum_buffer";

    @Override
    public int moments() {
        return 1;
    }

    @Override
    public void init(TensorState state, INDArray example) {
        state.putMoment(BUFFER, copyInit ? example.dup('c') : Nd4j.zeros(example.dataType(), example.shape()));
    }

    @Override
    public double apply(TensorState state, INDArray g, double lr, INDArray target, INDArray scratch) {
        INDArray buf = Blas.axpy(1 - dampening, g, state.moment(BUFFER).muli(momentum));
        Blas.axpy(-lr, buf, target);
        return lr * lr * Blas.dot(buf, buf);
    }
}
