package io.frugalspark.optim.subspace;

import org.nd4j.linalg.api.ndarray.INDArray;

/** A selection that maps a gradient to low coordinates and back (projections, coordinate subsets). */
public interface Projector extends Subspace {

    /** The state-full part of g in subspace coordinates (the moments' shape). */
    INDArray down(INDArray g);

    /** The shape of down(g) for a tensor of {@code shape}: the shape of the moments. */
    long[] lowShape(long[] shape);

    /** Low coordinates back to the tensor's {@code shape}. */
    INDArray up(INDArray low, long[] shape);

    /** (I - P) g, the complement the state-free rule sees; {@code low} is down(g). */
    default INDArray residual(INDArray g, INDArray low) {
        INDArray back = up(low, g.shape());
        INDArray r = g.sub(back);
        back.close();
        return r;
    }
}
