package io.frugalspark.model.layers;

import io.frugalspark.model.Parameter;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * SLTrain's sparse plus low-rank linear (ALGORITHMS.md section 10): W = (alpha/r) B A + S, S
 * non-zero only on a fixed seeded support of floor(delta m n) flat indices (row * n + col, sorted).
 * Forward builds the dense W into one preallocated buffer; backward multiplies by that same W and
 * then reuses the buffer for dL/dW, so a step builds W once (twice with recomputed activations)
 * and allocates nothing.
 */
public final class SLTrainLinear implements Linear {
    private final String weightName;
    private final int out;
    private final int in;
    private final double scale;
    private final Parameter b;
    private final Parameter a;
    private final Parameter values;
    private final Parameter support;
    /** [out, in]: W from the last forward, until backward overwrites it with dL/dW. */
    private final INDArray dense;
    private boolean denseIsW;

    public SLTrainLinear(String name, String role, int out, int in, int rank, double alpha,
                         long supportSize, long supportSeed, DataType dtype) {
        this.weightName = name + ".weight";
        this.out = out;
        this.in = in;
        this.scale = alpha / rank;
        b = Parameter.trainable(name + ".lowrank_B", role, Nd4j.create(dtype, out, rank));
        a = Parameter.trainable(name + ".lowrank_A", role, Nd4j.create(dtype, rank, in));
        values = Parameter.trainable(name + ".sparse_values", role, Nd4j.create(dtype, supportSize));
        support = Parameter.frozen(name + ".sparse_support", role,
                Nd4j.createFromArray(drawSupport((long) out * in, supportSize, supportSeed)));
        dense = Nd4j.create(dtype, out, in);
    }

    /** A uniform random subset of k of the n flat indices, sorted; a function of the seed only. */
    static long[] drawSupport(long n, long k, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        BitSet chosen = new BitSet(Math.toIntExact(n));
        for (long picked = 0; picked < k; ) {
            int i = (int) rng.nextLong(n);
            if (!chosen.get(i)) {
                chosen.set(i);
                picked++;
            }
        }
        return chosen.stream().asLongStream().toArray();
    }

    @Override
    public void forward(INDArray x, INDArray y) {
        build(dense);
        denseIsW = true;
        Ops.mm(x, dense, y, false, true, 1, 0);
    }

    /** Needs the W of a forward since the last backward: W is not rebuilt here, and its buffer then takes dL/dW. */
    @Override
    public void backward(INDArray x, INDArray gY, INDArray gX) {
        if (!denseIsW) throw new IllegalStateException(weightName + ": backward without a forward since the last backward");
        denseIsW = false;
        Ops.mm(gY, dense, gX, false, false, 1, 1);
        INDArray gW = dense;
        Ops.mm(gY, x, gW, true, false, 1, 0);
        Ops.mm(gW, a.value(), b.grad(), false, true, scale, 0);   // gB = GW (scale A)^T
        Ops.mm(b.value(), gW, a.grad(), true, false, scale, 0);   // gA = scale B^T GW
        Ops.gather(gW.reshape(-1), support.value(), values.grad()); // gv = GW at the support
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(b, a, values, support);
    }

    /** A fresh dense W (for export); the layer's own buffer is not handed out. */
    @Override
    public INDArray denseWeight() {
        INDArray w = Nd4j.create(dense.dataType(), out, in);
        build(w);
        return w;
    }

    /** w = scale B A + S. */
    private void build(INDArray w) {
        Ops.mm(b.value(), a.value(), w, false, false, scale, 0);
        Ops.scatterAdd(w.reshape(-1), support.value(), values.value());
    }

    @Override
    public String weightName() {
        return weightName;
    }

    /** B = 0; A and the support values uniform(-1/sqrt(in), 1/sqrt(in)). */
    @Override
    public void init(SplittableRandom rng) {
        double bound = 1 / Math.sqrt(in);
        b.value().assign(0);
        Ops.uniform(a.value(), rng, bound);
        Ops.uniform(values.value(), rng, bound);
    }
}
