package io.frugalspark.optim.subspace;

import io.frugalspark.optim.HostArrays;
import io.frugalspark.optim.state.SubspaceRecord;
import io.frugalspark.optim.state.SubspaceRecord.ProjectionBasis;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * GaLore-style projection of W (m x n): right basis B (r x n): G B^T; left basis A (m x r): A^T G;
 * both (the 'full' side): A^T G B^T, with GaLore's product order (A^T G) B^T and (A L) B.
 */
public record Projection(INDArray left, INDArray right) implements Projector {

    public Projection {
        if (left == null && right == null) {
            throw new IllegalArgumentException("a projection needs a left or a right basis");
        }
    }

    @Override
    public INDArray down(INDArray g) {
        INDArray x = left == null ? g : Nd4j.gemm(left, g, true, false);
        return right == null ? x : Nd4j.gemm(x, right, false, true);
    }

    @Override
    public long[] lowShape(long[] shape) {
        return new long[] {left == null ? shape[0] : left.size(1), right == null ? shape[1] : right.size(0)};
    }

    @Override
    public INDArray up(INDArray low, long[] shape) {
        INDArray x = left == null ? low : left.mmul(low);
        return right == null ? x : x.mmul(right);
    }

    /** The projector onto the selected subspace, B^T B or A A^T (for comparing bases up to rotation). */
    public INDArray projector() {
        return right != null ? Nd4j.gemm(right, right, true, false) : Nd4j.gemm(left, left, false, true);
    }

    @Override
    public long bytes() {
        return size(left) + size(right);
    }

    private static long size(INDArray a) {
        return a == null ? 0 : a.length() * a.dataType().width();
    }

    @Override
    public SubspaceRecord record() {
        return new ProjectionBasis(left == null ? null : HostArrays.copyOf(left), right == null ? null : HostArrays.copyOf(right));
    }
}
