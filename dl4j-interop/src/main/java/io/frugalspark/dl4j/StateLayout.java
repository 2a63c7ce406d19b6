package io.frugalspark.dl4j;

import io.frugalspark.optim.ParamRef;
import io.frugalspark.optim.Role;
import io.frugalspark.optim.select.Density;
import io.frugalspark.optim.select.ProjectionSelector;
import io.frugalspark.optim.select.Selector;
import io.frugalspark.optim.subspace.Block;
import io.frugalspark.optim.subspace.Projection;
import io.frugalspark.optim.subspace.Projector;
import io.frugalspark.optim.subspace.Subspace;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Where one tensor's optimizer state lives in its DL4J state view: [exp_avg | exp_avg_sq | SVD basis |
 * steps]. The last element counts the steps the tensor has taken. dl4j-spark 1.0.0-M2 restarts every
 * worker's iteration at 0 each averaging split (the worker clones the broadcast configuration, and
 * ComputationGraphConfiguration.clone() drops the iteration count), so selections, Adam's bias
 * correction and the lr schedule follow this counter, which is averaged and broadcast with the rest.
 * DL4J sizes the view once, so each part is sized for the starting density (rho only decreases):
 * the whole tensor for regular tensors and for blocks (a block may become active at any re-selection),
 * the state-full subspace for coordinate and projection selectors. Shapes come from the optimizers
 * module's own selectors, drawn once on a zero stand-in.
 */
final class StateLayout {
    private final long momentLength;
    private final long basisLength;

    StateLayout(FrugalUpdater c) {
        long numel = length(c.getShape());
        if (!c.projectable()) {
            momentLength = numel;
            basisLength = 0;
        } else if (c.getSpec().blocks()) {
            momentLength = c.getSpec().density(0).blocks(c.getGroup().length) > 0 ? numel : 0;
            basisLength = 0;
        } else {
            Subspace s = sizing(c, c.getSpec().density(0));
            momentLength = s == Block.INACTIVE ? 0 : s instanceof Projector p ? length(p.lowShape(c.getShape())) : numel;
            basisLength = c.getSpec().svd() && s instanceof Projection p ? length(p.left()) + length(p.right()) : 0;
        }
    }

    long momentLength() {
        return momentLength;
    }

    long size() {
        return 2 * momentLength + basisLength + 1;
    }

    /** Steps taken so far (an average of equal counts after parameter averaging; float32 holds them exactly to 2^24). */
    long steps(INDArray view) {
        return Math.round(view.getDouble(size() - 1));
    }

    void putSteps(INDArray view, long t) {
        view.putScalar(size() - 1, t);
    }

    /** Moment i (0 = exp_avg, 1 = exp_avg_sq) of {@code shape}, a view into the state. */
    INDArray moment(INDArray view, int i, long[] shape) {
        return segment(view, i * momentLength, length(shape)).reshape('c', shape);
    }

    /** The SVD bases of a period at {@code density}: read from the state, shaped as the selector shapes them. */
    Projection basis(FrugalUpdater c, Density density, INDArray view) {
        Projection shapes = (Projection) sizing(c, density);
        long at = 2 * momentLength;
        INDArray left = shapes.left() == null ? null : segment(view, at, length(shapes.left())).reshape('c', shapes.left().shape()).dup();
        at += length(shapes.left());
        INDArray right = shapes.right() == null ? null : segment(view, at, length(shapes.right())).reshape('c', shapes.right().shape()).dup();
        return new Projection(left, right);
    }

    void putBasis(Projection p, INDArray view) {
        long at = 2 * momentLength;
        for (INDArray b : new INDArray[] {p.left(), p.right()}) {
            if (b != null) {
                segment(view, at, b.length()).assign(b.reshape('c', 1, b.length()));
                at += b.length();
            }
        }
    }

    /** The subspace one tensor would get at {@code density}; SVD is sized through randperm (same shapes, no LAPACK). */
    private static Subspace sizing(FrugalUpdater c, Density density) {
        INDArray z = Nd4j.zeros(DataType.FLOAT, c.getShape());
        ParamRef ref = new ParamRef("sizing", Role.MLP, z, z);
        FrugalSpec spec = c.getSpec();
        Selector selector = spec.svd() ? spec.projectionSelector(ProjectionSelector.Type.RANDPERM) : spec.selectorFactory().get();
        return selector.select(List.of(ref), density, new SplittableRandom(0)).get(0);
    }

    /** A [1, length] window of the flat state view. */
    private static INDArray segment(INDArray view, long from, long length) {
        return view.get(NDArrayIndex.interval(from, from + length)).reshape('c', 1, length);
    }

    private static long length(INDArray a) {
        return a == null ? 0 : a.length();
    }

    static long length(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }
}
