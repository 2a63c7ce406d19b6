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
 * The dense W and its gradient exist only inside one forward or backward call.
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
        Ops.mm(x, denseWeight(), y, false, true, 1, 0);
    }

    @Override
    public void backward(INDArray x, INDArray gY, INDArray gX, boolean addToGx) {
        Ops.mm(gY, denseWeight(), gX, false, false, 1, addToGx ? 1 : 0);
        INDArray gW = Nd4j.create(x.dataType(), out, in);
        Ops.mm(gY, x, gW, true, false, 1, 0);
        Ops.mm(gW, a.value(), b.grad(), false, true, scale, 0);   // gB = GW (scale A)^T
        Ops.mm(b.value(), gW, a.grad(), true, false, scale, 0);   // gA = scale B^T GW
        Ops.gather(gW.reshape(-1), support.value(), values.grad()); // gv = GW at the support
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(b, a, values, support);
    }

    @Override
    public INDArray denseWeight() {
        INDArray w = Nd4j.create(b.value().dataType(), out, in);
        Ops.mm(b.value(), a.value(), w, false, false, scale, 0);
        Ops.scatterAdd(w.reshape(-1), support.value(), values.value());
        return w;
    }

    /** B = 0; A and the support values uniform(-1/sqrt(in), 1/sqrt(in)). */
    @Override
    public String weightName() {
        return weightName;
    }

    @Override
    public void init(SplittableRandom rng) {
        double bound = 1 / Math.sqrt(in);
        b.value().assign(0);
        Ops.uniform(a.value(), rng, bound);
        Ops.uniform(values.value(), rng, bound);
    }
}
