package io.frugalspark.model.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.frugalspark.model.LossResult;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The chunked lm_head + cross entropy on 14 rows in chunks of 4 (the last one short), with ignored
 * rows inside a chunk and at the end, against plain loops and float64 finite differences.
 */
class LmHeadLossTest {
    static final int N = 14, V = 11, D = 5, CHUNK = 4;
    static final int[] TARGET = {3, 0, 7, 10, 2, 2, 5, 9, 1, 4, 6, 8, 3, 0};
    static final boolean[] COUNTED = {true, true, false, true, true, true, true, true, false, true, true, true, false, false};

    final INDArray x = gaussian(N, D, 1);
    final INDArray flatTargets = Nd4j.createFromArray(flat());
    final INDArray counted = Nd4j.create(DataType.DOUBLE, N, 1);

    LmHeadLossTest() {
        for (int i = 0; i < N; i++) counted.putScalar(i, COUNTED[i] ? 1 : 0);
    }

    static LmHeadLoss head(int chunkRows) {
        LmHeadLoss h = new LmHeadLoss("h", V, D, DataType.DOUBLE, chunkRows);
        h.parameter().value().assign(gaussian(V, D, 2));
        return h;
    }

    @Test
    void lossMatchesPlainLogSumExp() {
        LmHeadLoss h = head(CHUNK);
        LossResult r = h.forward(x, flatTargets, counted);
        double expected = 0;
        for (int i = 0; i < N; i++) {
            if (!COUNTED[i]) continue;
            double[] z = new double[V];
            for (int v = 0; v < V; v++)
                for (int k = 0; k < D; k++) z[v] += x.getDouble(i, k) * h.parameter().value().getDouble(v, k);
            double sum = 0;
            for (double zv : z) sum += Math.exp(zv);
            expected += Math.log(sum) - z[TARGET[i]];
        }
        assertEquals(10, r.count());
        assertEquals(expected, r.sum(), 1e-12);
        assertEquals(expected, h.forwardBackward(x, flatTargets, counted, Nd4j.create(DataType.DOUBLE, N, D)).sum(), 1e-12);
    }

    /** The benchmark's scale in float: 2048 rows x 32000 ids in chunks of 256, flat targets up to 6.6e7. */
    @Test
    void benchmarkScaleInFloat() {
        int n = 2048, vocab = 32000;
        LmHeadLoss h = new LmHeadLoss("h", vocab, 1, DataType.FLOAT, 256);
        INDArray w = h.parameter().value(), xs = Nd4j.ones(DataType.FLOAT, n, 1);
        for (int v = 0; v < vocab; v++) w.putScalar(v, v % 7 * 0.5);
        double sum = 0;
        for (int v = 0; v < vocab; v++) sum += Math.exp(v % 7 * 0.5);
        long[] flat = new long[n];
        double expected = 0;
        for (int i = 0; i < n; i++) {
            int target = (2 * i + 1) * 13 % vocab;
            flat[i] = (long) i * vocab + target;
            expected += Math.log(sum) - target % 7 * 0.5;
        }
        INDArray gX = Nd4j.create(DataType.FLOAT, n, 1);
        LossResult r = h.forwardBackward(xs, Nd4j.createFromArray(flat), Nd4j.ones(DataType.FLOAT, n, 1), gX);
        assertEquals(expected, r.sum(), 1e-5 * expected);
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        LmHeadLoss h = head(CHUNK);
        INDArray gX = Nd4j.create(DataType.DOUBLE, N, D);
        h.forwardBackward(x, flatTargets, counted, gX);
        assertMatchesDifferences(h, h.parameter().value(), h.parameter().grad().dup());
        assertMatchesDifferences(h, x, gX.dup());
        for (int k = 0; k < D; k++) assertEquals(0, gX.getDouble(N - 1, k), "an ignored row gets no gradient");
    }

    @Test
    void chunkingChangesNothingAndGradientsAreWrittenNotAdded() {
        LmHeadLoss whole = head(64), chunked = head(CHUNK);
        INDArray gWhole = Nd4j.create(DataType.DOUBLE, N, D), gChunked = Nd4j.create(DataType.DOUBLE, N, D);
        LossResult a = whole.forwardBackward(x, flatTargets, counted, gWhole);
        chunked.forwardBackward(x, flatTargets, counted, gChunked);
        LossResult b = chunked.forwardBackward(x, flatTargets, counted, gChunked);
        assertEquals(a.sum(), b.sum(), 1e-12);
        assertTrue(Double.isFinite(gWhole.norm2Number().doubleValue()) && gWhole.norm2Number().doubleValue() > 0);
        assertArrayEquals(gWhole.data().asDouble(), gChunked.data().asDouble(), 1e-14);
        assertArrayEquals(whole.parameter().grad().data().asDouble(), chunked.parameter().grad().data().asDouble(), 1e-14);
    }

    private void assertMatchesDifferences(LmHeadLoss h, INDArray v, INDArray analytic) {
        double h0 = 1e-5;
        for (long i = 0; i < v.length(); i++) {
            double at = v.getDouble(i);
            v.putScalar(i, at + h0);
            double up = h.forward(x, flatTargets, counted).mean();
            v.putScalar(i, at - h0);
            double down = h.forward(x, flatTargets, counted).mean();
            v.putScalar(i, at);
            double numeric = (up - down) / (2 * h0), exact = analytic.getDouble(i);
            assertTrue(Math.abs(numeric - exact) < 1e-8 * Math.max(1, Math.abs(exact)),
                    "entry " + i + ": analytic " + exact + ", numeric " + numeric);
        }
    }

    private static long[] flat() {
        long[] f = new long[N];
        for (int i = 0; i < N; i++) f[i] = (long) i * V + TARGET[i];
        return f;
    }

    private static INDArray gaussian(int rows, int cols, long seed) {
        INDArray a = Nd4j.create(DataType.DOUBLE, rows, cols);
        Ops.normal(a, new SplittableRandom(seed), 1);
        return a;
    }
}
