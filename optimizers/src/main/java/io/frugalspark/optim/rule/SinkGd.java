package io.frugalspark.optim.rule;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * SinkGD: SR-Sinkhorn normalisation of the gradient (rows to l2 norm sqrt(n), then columns to
 * sqrt(m), L times), so entries have RMS 1 like a sign update. Rows and columns that are exactly
 * zero (masked by a coordinate selector) are left out of n and m: normalisation over free entries.
 */
public record SinkGd(int iterations) implements StatelessRule {
    private static final double CLAMP = 1e-8;

    public static SinkGd defaults() {
        return new SinkGd(5);
    }

    @Override
    public double apply(INDArray g, double lr, INDArray target, INDArray scratch) {
        INDArray x = normalise(g, scratch);
        Blas.axpy(-lr, x, target);
        return lr * lr * Blas.dot(x, x);
    }

    /** Writes SR-Sinkhorn(g) into {@code out} (shape of g; vectors count as one row) and returns it. */
    public INDArray normalise(INDArray g, INDArray out) {
        INDArray x = out.assign(g).reshape('c', new long[] {rows(g), g.length() / rows(g)});
        double rowTarget = Math.sqrt(nonZero(x.norm2(0)));
        double colTarget = Math.sqrt(nonZero(x.norm2(1)));
        for (int i = 0; i < iterations; i++) {
            x.muliColumnVector(scale(x.norm2(1), rowTarget).reshape(-1, 1));
            x.muliRowVector(scale(x.norm2(0), colTarget).reshape(1, -1));
        }
        return out;
    }

    private static long rows(INDArray g) {
        return g.rank() == 2 ? g.size(0) : 1;
    }

    private static INDArray scale(INDArray norms, double target) {
        return Transforms.max(norms, CLAMP, false).rdivi(target);
    }

    private static long nonZero(INDArray norms) {
        return norms.neq(0).castTo(org.nd4j.linalg.api.buffer.DataType.LONG).sumNumber().longValue();
    }
}
