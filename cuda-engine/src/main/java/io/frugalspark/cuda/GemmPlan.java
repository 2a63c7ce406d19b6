package io.frugalspark.cuda;

/**
 * A row-major GEMM C[m, n] = op(A) op(B) + beta C as cuBLAS (column-major) arguments. A row-major
 * matrix is its transpose column-major, so the call computes C^T = op(B)^T op(A)^T: operands swap,
 * each keeps its transpose flag, and every leading dimension is the row-major row length.
 * Linear layers, weights [out, in]: y = x W^T is (x, W, transB); dx = dy W is (dy, W); dW += dy^T x is (dy transA, x, beta 1).
 */
public record GemmPlan(boolean transFirst, boolean transSecond, int m, int n, int k, int ldFirst, int ldSecond, int ldc) {

    /** A is [m, k] ([k, m] when transA), B is [k, n] ([n, k] when transB), C is [m, n]; first operand is B. */
    public static GemmPlan rowMajor(boolean transA, boolean transB, int m, int n, int k) {
        return new GemmPlan(transB, transA, n, m, k, transB ? k : n, transA ? m : k, n);
    }
}
