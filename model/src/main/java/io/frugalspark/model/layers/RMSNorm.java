package io.frugalspark.model.layers;

import io.frugalspark.model.Parameter;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** y = w * x / sqrt(mean(x^2) + eps) over the last dimension; keeps 1/rms per row for backward. */
public final class RMSNorm {
    private final Parameter w;
    private final double eps;
    private final String key;

    /** @param key distinguishes this norm's saved rows from another norm's in the same {@link Buffers} */
    public RMSNorm(String name, int dim, double eps, String key, DataType dtype) {
        this.w = Parameter.trainable(name + ".weight", Parameter.NORM, Nd4j.ones(dtype, dim));
        this.eps = eps;
        this.key = key + ".rstd";
    }

    public Parameter parameter() {
        return w;
    }

    public void forward(INDArray x, INDArray y, Buffers act) {
        INDArray rstd = act.get(key, x.rows(), 1);
        rstd.assign(x.norm2(true, 1));
        rstd.muli(rstd).divi(x.columns()).addi(eps);
        Transforms.sqrt(rstd, false).rdivi(1.0);
        y.assign(x).muliColumnVector(rstd).muliRowVector(w.value());
    }

    /** Writes the weight gradient and ADDS dL/dx to gX (the residual stream's gradient). */
    public void backward(INDArray x, INDArray gY, INDArray gX, Buffers act, Buffers tmp) {
        long n = x.rows(), d = x.columns();
        INDArray rstd = act.get(key);
        INDArray xhat = tmp.get("norm.xhat", n, d).assign(x).muliColumnVector(rstd);
        INDArray t = tmp.get("norm.t", n, d).assign(gY).muli(xhat);
        w.grad().assign(t.sum(0));
        INDArray dxhat = t.assign(gY).muliRowVector(w.value());
        // dx = rstd * (dxhat - xhat * mean(dxhat * xhat))
        INDArray proj = xhat.mul(dxhat).mean(true, 1);
        gX.addi(xhat.muliColumnVector(proj).rsubi(dxhat).muliColumnVector(rstd));
    }
}
