package io.frugalspark.cuda;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The GPU check's yardsticks: each backward against central differences of its own forward. */
class KernelReferencesTest {

    private static final float H = 1f / 128;      // exact in float, so x +- H moves x by H up to one ulp
    private final Random random = new Random(11);

    @Test
    void attentionBackwardMatchesFiniteDifferences() {
        int b = 1, t = 5, heads = 2, hd = 4, n = b * t * heads * hd;
        float[] q = gaussian(n), k = gaussian(n), v = gaussian(n), dout = gaussian(n);
        double[][] grads = KernelReferences.attentionBackward(q, k, v, dout, b, t, heads, hd);
        float[][] inputs = {q, k, v};
        for (int which = 0; which < 3; which++)
            assertGradient(grads[which], inputs[which], x -> dot(KernelReferences.attention(q, k, v, b, t, heads, hd), dout));
        // causality: the last position's key and value get gradient only from the last query
        double[] out = KernelReferences.attention(q, k, v, b, t, heads, hd);
        float[] q2 = q.clone();
        q2[KernelReferences.at(0, 4, 0, 0, t, heads, hd)] += 1;
        assertEquals(out[KernelReferences.at(0, 3, 0, 1, t, heads, hd)], KernelReferences.attention(q2, k, v, b, t, heads, hd)[KernelReferences.at(0, 3, 0, 1, t, heads, hd)]);
    }

    @Test
    void rmsNormBackwardMatchesFiniteDifferences() {
        int rows = 3, channels = 6;
        float[] x = gaussian(rows * channels), w = gaussian(channels), dy = gaussian(rows * channels);
        double[][] grads = KernelReferences.rmsNormBackward(x, w, dy, rows, channels, 1e-6);
        Function<float[], Double> loss = unused -> dot(KernelReferences.rmsNorm(x, w, rows, channels, 1e-6), dy);
        assertGradient(grads[0], x, loss);
        assertGradient(grads[1], w, loss);
    }

    @Test
    void swiGluBackwardMatchesFiniteDifferences() {
        float[] g = gaussian(7), u = gaussian(7), dh = gaussian(7);
        double[][] grads = KernelReferences.swiGluBackward(g, u, dh);
        Function<float[], Double> loss = unused -> dot(KernelReferences.swiGlu(g, u), dh);
        assertGradient(grads[0], g, loss);
        assertGradient(grads[1], u, loss);
    }

    @Test
    void crossEntropyGradientIsTheMeanLossGradientAndIgnoresPadding() {
        int vocab = 5;
        float[] logits = gaussian(3 * vocab);
        int[] targets = {2, -100, 4};
        double[][] r = KernelReferences.softmaxCrossEntropy(logits, targets, vocab, -100);
        assertEquals(0, r[0][1]);
        for (int c = 0; c < vocab; c++) assertEquals(0, r[1][vocab + c]);
        assertGradient(r[1], logits, unused -> {
            double[] l = KernelReferences.softmaxCrossEntropy(logits, targets, vocab, -100)[0];
            return (l[0] + l[1] + l[2]) / 2;
        });
    }

    @Test
    void ropeBackwardUndoesForwardAndKeepsNorms() {
        int batch = 2, heads = 3;
        RopeTables tables = RopeTables.of(4, 8, 10000);
        float[] x = gaussian(batch * 4 * heads * 8);
        double[] y = KernelReferences.rope(x, tables, batch, heads, 1);
        float[] yf = new float[y.length];
        for (int i = 0; i < y.length; i++) yf[i] = (float) y[i];
        assertTrue(KernelReferences.relativeError(KernelReferences.rope(yf, tables, batch, heads, -1), x) < 1e-6);
        assertEquals(dot(y, y), dot(KernelReferences.toDouble(x), KernelReferences.toDouble(x)), 1e-7 * dot(y, y));
        assertEquals(x[5], y[5], 1e-7, "position 0 is not rotated");
    }

    /** The same edge values (and bits) the GPU check holds cast.cu to, so the bf16 GEMM's reference rounds as the device does. */
    @Test
    void bf16RoundIsNearestEvenLikeTheCastKernel() {
        float[] x = {1f, -2.5f, 1.00390625f, 1.01171875f, 3.0e38f, Float.NaN, 1e-40f, Float.intBitsToFloat(0x3f808001)};
        int[] bits = {0x3f80, 0xc020, 0x3f80, 0x3f82, 0x7f62, -1, 0x0001, 0x3f81};
        float[] r = KernelReferences.bf16Round(x);
        for (int i = 0; i < x.length; i++) {
            if (bits[i] < 0) assertTrue(Float.isNaN(r[i]));
            else assertEquals(bits[i] << 16, Float.floatToRawIntBits(r[i]), "value " + x[i]);
        }
        float[] g = gaussian(1000), once = KernelReferences.bf16Round(g);
        assertArrayEquals(once, KernelReferences.bf16Round(once), "bf16 values round to themselves");
        assertTrue(KernelReferences.relativeError(KernelReferences.toDouble(g), once) < 1.0 / 256, "8 significant bits");
    }

    @Test
    void relativeErrorIsNormWise() {
        assertEquals(0.5, KernelReferences.relativeError(new double[] {2, 0}, new float[] {1, 0}), 1e-12);
    }

    /** Central differences of loss over a few elements of x, against the analytic gradient. */
    private void assertGradient(double[] analytic, float[] x, Function<float[], Double> loss) {
        for (int trial = 0; trial < 6; trial++) {
            int i = random.nextInt(x.length);
            float saved = x[i];
            x[i] = saved + H;
            double up = loss.apply(x);
            x[i] = saved - H;
            double down = loss.apply(x);
            x[i] = saved;
            double numeric = (up - down) / (2 * H);
            assertEquals(numeric, analytic[i], 2e-3 * Math.max(1, Math.abs(numeric)), "element " + i);
        }
    }

    private static double dot(double[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    private float[] gaussian(int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) out[i] = (float) random.nextGaussian();
        return out;
    }
}
