package io.frugalspark.optim.rule;

import java.util.stream.IntStream;

/** Runs an element-wise kernel over [0, n) in chunks on the common pool and sums its results. */
final class Fused {
    static final int CHUNK = 1 << 14;

    /** A kernel over elements [from, to) returning a partial sum (e.g. of squared updates). */
    @FunctionalInterface
    interface Kernel {
        double run(int from, int to);
    }

    /** Per-thread double lanes for kernels that stage chunks through {@link Lane#load}. */
    private static final ThreadLocal<double[][]> LANES = ThreadLocal.withInitial(() -> new double[4][CHUNK]);

    static double[][] lanes() {
        return LANES.get();
    }

    private Fused() {
    }

    /** A kernel over rows [from, to) of a row-major matrix returning per-column partial sums. */
    @FunctionalInterface
    interface RowKernel {
        double[] run(int from, int to);
    }

    /** Per-column sums of a row kernel run over all rows in chunks, added in chunk order (deterministic). */
    static double[] columnSums(int rows, int cols, RowKernel k) {
        int per = Math.max(1, CHUNK / Math.max(1, cols));
        int chunks = (rows + per - 1) / per;
        double[][] parts = IntStream.range(0, chunks).parallel()
                .mapToObj(c -> k.run(c * per, Math.min(rows, (c + 1) * per)))
                .toArray(double[][]::new);
        double[] sum = new double[cols];
        for (double[] p : parts) {
            for (int j = 0; j < cols; j++) {
                sum[j] += p[j];
            }
        }
        return sum;
    }

    static double sum(long n, Kernel k) {
        int len = (int) n;
        if (len <= CHUNK) {
            return k.run(0, len);
        }
        int chunks = (len + CHUNK - 1) / CHUNK;
        // the split tree of a range stream is fixed, so the sum is the same run to run
        return IntStream.range(0, chunks).parallel()
                .mapToDouble(c -> k.run(c * CHUNK, Math.min(len, (c + 1) * CHUNK)))
                .sum();
    }
}
