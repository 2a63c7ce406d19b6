package io.frugalspark.model.layers;

import io.frugalspark.model.Parameter;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** y = w * x / sqrt(mean(x^2) + eps) over the last dimension; keeps 1/rms per row for backward. */
public final class RMSNorm {
    /** Backward's [N, D] temporaries; one instance serves every norm of a model (they run one at a time). */
    public static final class Scratch {
        /** x * rstd, rebuilt from x rather than kept: it would cost a row of D per norm and layer. */
        private INDArray xhat;
        /** dL/dxhat; just before, gY * xhat, whose column sums are the weight gradient. */
        private INDArray dXhat;
    }

    private final Parameter w;
    private final double eps;
    private final Scratch scratch;
    /** [N, 1]: 1 / rms of each row of the last forward's x; the only activation this norm keeps. */
    private INDArray rstd;

    public RMSNorm(String name, int dim, double eps, DataType dtype, Scratch scratch) {
        this.w = Parameter.trainable(name + ".weight", Parameter.NORM, Nd4j.ones(dtype, dim));
        this.eps = eps;
        this.scratch = scratch;
    }

    public Parameter parameter() {
        return w;
    }

    public void forward(INDArray x, INDArray y) {
        if (!Ops.fits(rstd, x.rows(), 1)) rstd = Ops.create(x.dataType(), x.rows(), 1);
        rstd.assign(x.norm2(true, 1));
        rstd.muli(rstd).divi(x.columns()).addi(eps);
        Transforms.sqrt(rstd, false).rdivi(1.0);
        y.assign(x).muliColumnVector(rstd).muliRowVector(w.value());
    }

    /** Writes the weight gradient and adds dL/dx to gX. */
    public void backward(INDArray x, INDArray gY, INDArray gX) {
        ensureScratch(x);
        INDArray xhat = scratch.xhat.assign(x).muliColumnVector(rstd);
        INDArray dXhat = scratch.dXhat.assign(gY).muli(xhat);
        w.grad().assign(dXhat.sum(0));
        dXhat.assign(gY).muliRowVector(w.value());
        // dx = rstd * (dxhat - xhat * mean(dxhat * xhat)); xhat is consumed
        INDArray proj = xhat.mul(dXhat).mean(true, 1);
        gX.addi(xhat.muliColumnVector(proj).rsubi(dXhat).muliColumnVector(rstd));
    }

    private void ensureScratch(INDArray x) {
        if (Ops.fits(scratch.xhat, x.shape())) return;
        scratch.xhat = Ops.create(x.dataType(), x.shape());
        scratch.dXhat = Ops.create(x.dataType(), x.shape());
    }
}
