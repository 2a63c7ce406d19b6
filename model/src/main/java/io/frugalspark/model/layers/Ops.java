package io.frugalspark.model.layers;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.blas.params.MMulTranspose;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.reduce.Mmul;
import org.nd4j.linalg.factory.Nd4j;

/** The few kernels the layers share: GEMMs into preallocated outputs, gather, scatter-add, init; buffer shapes. */
public final class Ops {
    private Ops() {
    }

    /** Whether a layer's buffer {@code a} was allocated for this shape (false before the first call). */
    static boolean fits(INDArray a, long... shape) {
        return a != null && Arrays.equals(a.shape(), shape);
    }

    /** A new 'c'-order buffer: contiguous, so that row blocks and reshapes of it stay views. */
    static INDArray create(DataType dtype, long... shape) {
        return Nd4j.create(dtype, shape, 'c');
    }

    /** out = alpha * op(a) op(b) + beta * out, 2-D. */
    static void mm(INDArray a, INDArray b, INDArray out, boolean ta, boolean tb, double alpha, double beta) {
        Nd4j.gemm(a, b, out, ta, tb, alpha, beta);
    }

    /** Batched out[i] = alpha op(a[i]) op(b[i]) + beta out[i] over the leading dimension; any may be a view. */
    static void bmm(INDArray a, INDArray b, INDArray out, boolean ta, boolean tb, double alpha, double beta) {
        Nd4j.exec(new Mmul(a, b, out, alpha, beta, MMulTranspose.builder().transposeA(ta).transposeB(tb).build()));
    }

    /** out = src[idx] along dimension 0. */
    static void gather(INDArray src, INDArray idx, INDArray out) {
        Nd4j.exec(DynamicCustomOp.builder("gather").addInputs(src, idx).addOutputs(out)
                .addIntegerArguments(0).build());
    }

    /** target[idx[i]] += updates[i] along dimension 0; repeated indices add up. */
    static void scatterAdd(INDArray target, INDArray idx, INDArray updates) {
        // lock = true: libnd4j then adds sequentially. Parallel adds into rows of repeated ids (the
        // embedding's backward) sum in an order that depends on how many pool threads are free, so
        // gradients would differ in the last bit between calls and replicas would not reproduce.
        Nd4j.exec(DynamicCustomOp.builder("scatter_add").addInputs(target, idx, updates)
                .addBooleanArguments(true).addOutputs(target).build());
    }

    /** Fills {@code a} with N(0, std) draws from {@code rng}, in 'c' order (same values for any dtype). */
    public static void normal(INDArray a, SplittableRandom rng, double std) {
        double[] v = new double[Math.toIntExact(a.length())];
        for (int i = 0; i < v.length; i++) v[i] = std * rng.nextGaussian();
        a.assign(Nd4j.createFromArray(v).reshape(a.shape()).castTo(a.dataType()));
    }

    /** Fills {@code a} with uniform(-bound, bound) draws from {@code rng}. */
    public static void uniform(INDArray a, SplittableRandom rng, double bound) {
        double[] v = new double[Math.toIntExact(a.length())];
        for (int i = 0; i < v.length; i++) v[i] = bound * (2 * rng.nextDouble() - 1);
        a.assign(Nd4j.createFromArray(v).reshape(a.shape()).castTo(a.dataType()));
    }
}
