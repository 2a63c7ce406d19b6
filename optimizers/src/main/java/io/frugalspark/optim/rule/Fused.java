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

    /** Per-thread float lanes for float32 kernels ({@link Lane.F#load(int, float[], int)}). */
    private static final ThreadLocal<float[][]> FLOAT_LANES = ThreadLocal.withInitial(() -> new float[5][CHUNK]);

    static float[][] floatLanes() {
        return FLOAT_LANES.get();
    }

    /**
     * The sum of x[i]^2 over [0, n) in double, in four interleaved partial sums, a fixed order (deterministic).
     * C2 vectorises none of the forms tried (eight sums, 64 float or double lane sums): 0.31-0.66 ns an element
     * on one Zen 5 core, this one among the fastest.
     */
    static double sumOfSquares(float[] x, int n) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += (double) x[i] * x[i];
            s1 += (double) x[i + 1] * x[i + 1];
            s2 += (double) x[i + 2] * x[i + 2];
            s3 += (double) x[i + 3] * x[i + 3];
        }
        for (; i < n; i++) {
            s0 += (double) x[i] * x[i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** Per-thread staging for one matrix row. */
    private static final PerThread<double[]> ROW = new PerThread<>(double[]::new, a -> a.length);

    static double[] row(int n) {
        return ROW.atLeast(n);
    }

    private Fused() {
    }

    /** A kernel over rows [from, to) of a row-major matrix returning per-column partial sums. */
    @FunctionalInterface
    interface RowKernel {
        double[] run(int from, int to);
    }

    /** A kernel over rows [from, to) of a row-major matrix that writes its own output. */
    @FunctionalInterface
    interface RowAction {
        void run(int from, int to);
    }

    /** Per-column sums of a row kernel run over all rows in chunks, added in chunk order (deterministic). */
    static double[] columnSums(int rows, int cols, RowKernel k) {
        int per = rowsPerChunk(cols);
        double[][] parts = rowChunks(rows, per)
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

    /** Runs a row action over all rows in chunks of about {@link #CHUNK} elements. */
    static void forRows(int rows, int cols, RowAction a) {
        int per = rowsPerChunk(cols);
        rowChunks(rows, per).forEach(c -> a.run(c * per, Math.min(rows, (c + 1) * per)));
    }

    /** Row chunks of 64K elements: each chunk allocates its partial column sums, so not too many. */
    private static int rowsPerChunk(int cols) {
        return Math.max(1, 4 * CHUNK / Math.max(1, cols));
    }

    private static IntStream rowChunks(int rows, int per) {
        return IntStream.range(0, (rows + per - 1) / per).parallel();
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
