package io.frugalspark.cuda;

/**
 * Double-precision host versions of the kernels the GPU check compares against, written from the
 * formulas (ALGORITHMS.md section 11), not from the kernels. Their backward passes are tested against
 * finite differences of their forward passes on the CPU, so the GPU check's yardstick is itself checked.
 * Layouts are the kernels': rows x channels row-major, attention [batch, time, heads, headDim].
 */
public final class KernelReferences {

    private KernelReferences() {}

    public static double[] rmsNorm(float[] x, float[] w, int rows, int channels, double eps) {
        double[] y = new double[x.length];
        for (int r = 0; r < rows; r++) {
            double rstd = rstd(x, r, channels, eps);
            for (int c = 0; c < channels; c++) y[r * channels + c] = w[c] * x[r * channels + c] * rstd;
        }
        return y;
    }

    /** Returns {dx, dw} for upstream dy. */
    public static double[][] rmsNormBackward(float[] x, float[] w, float[] dy, int rows, int channels, double eps) {
        double[] dx = new double[x.length], dw = new double[channels];
        for (int r = 0; r < rows; r++) {
            double rstd = rstd(x, r, channels, eps), dot = 0;
            for (int c = 0; c < channels; c++) dot += w[c] * dy[r * channels + c] * x[r * channels + c];
            for (int c = 0; c < channels; c++) {
                int i = r * channels + c;
                dx[i] = rstd * w[c] * dy[i] - x[i] * rstd * rstd * rstd * dot / channels;
                dw[c] += dy[i] * x[i] * rstd;
            }
        }
        return new double[][] {dx, dw};
    }

    private static double rstd(float[] x, int r, int channels, double eps) {
        double ss = 0;
        for (int c = 0; c < channels; c++) ss += (double) x[r * channels + c] * x[r * channels + c];
        return 1 / Math.sqrt(ss / channels + eps);
    }

    public static double[] swiGlu(float[] gate, float[] up) {
        double[] h = new double[gate.length];
        for (int i = 0; i < h.length; i++) h[i] = gate[i] * sigmoid(gate[i]) * up[i];
        return h;
    }

    /** Returns {dgate, dup}. */
    public static double[][] swiGluBackward(float[] gate, float[] up, float[] dh) {
        double[] dg = new double[gate.length], du = new double[gate.length];
        for (int i = 0; i < dg.length; i++) {
            double s = sigmoid(gate[i]);
            dg[i] = dh[i] * up[i] * s * (1 + gate[i] * (1 - s));
            du[i] = dh[i] * gate[i] * s;
        }
        return new double[][] {dg, du};
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    /** rotate_half RoPE with the tables' angles; direction -1 rotates back (the backward pass). */
    public static double[] rope(float[] x, RopeTables tables, int batch, int heads, double direction) {
        int time = tables.time(), hd = tables.headDim(), half = hd / 2;
        double[] out = new double[x.length];
        for (int row = 0; row < batch * time * heads; row++) {
            int t = row / heads % time;
            for (int j = 0; j < half; j++) {
                double c = tables.cos()[t * half + j], s = direction * tables.sin()[t * half + j];
                double a = x[row * hd + j], b = x[row * hd + j + half];
                out[row * hd + j] = a * c - b * s;
                out[row * hd + j + half] = b * c + a * s;
            }
        }
        return out;
    }

    /** Causal softmax(q k^T / sqrt(hd)) v. */
    public static double[] attention(float[] q, float[] k, float[] v, int batch, int time, int heads, int hd) {
        double[] out = new double[q.length];
        for (int b = 0; b < batch; b++)
            for (int h = 0; h < heads; h++)
                for (int t = 0; t < time; t++) {
                    double[] p = probabilities(q, k, b, h, t, time, heads, hd);
                    for (int d = 0; d < hd; d++) {
                        double o = 0;
                        for (int j = 0; j <= t; j++) o += p[j] * v[at(b, j, h, d, time, heads, hd)];
                        out[at(b, t, h, d, time, heads, hd)] = o;
                    }
                }
        return out;
    }

    /** Returns {dq, dk, dv} for upstream dout. */
    public static double[][] attentionBackward(float[] q, float[] k, float[] v, float[] dout, int batch, int time, int heads, int hd) {
        double[] dq = new double[q.length], dk = new double[q.length], dv = new double[q.length];
        double scale = 1 / Math.sqrt(hd);
        for (int b = 0; b < batch; b++)
            for (int h = 0; h < heads; h++)
                for (int t = 0; t < time; t++) {
                    double[] p = probabilities(q, k, b, h, t, time, heads, hd), dp = new double[t + 1];
                    double rowDot = 0;
                    for (int j = 0; j <= t; j++) {
                        for (int d = 0; d < hd; d++) {
                            dp[j] += dout[at(b, t, h, d, time, heads, hd)] * v[at(b, j, h, d, time, heads, hd)];
                            dv[at(b, j, h, d, time, heads, hd)] += p[j] * dout[at(b, t, h, d, time, heads, hd)];
                        }
                        rowDot += p[j] * dp[j];
                    }
                    for (int j = 0; j <= t; j++) {
                        double ds = p[j] * (dp[j] - rowDot) * scale;
                        for (int d = 0; d < hd; d++) {
                            dq[at(b, t, h, d, time, heads, hd)] += ds * k[at(b, j, h, d, time, heads, hd)];
                            dk[at(b, j, h, d, time, heads, hd)] += ds * q[at(b, t, h, d, time, heads, hd)];
                        }
                    }
                }
        return new double[][] {dq, dk, dv};
    }

    private static double[] probabilities(float[] q, float[] k, int b, int h, int t, int time, int heads, int hd) {
        double scale = 1 / Math.sqrt(hd), max = Double.NEGATIVE_INFINITY, sum = 0;
        double[] s = new double[t + 1];
        for (int j = 0; j <= t; j++) {
            for (int d = 0; d < hd; d++) s[j] += q[at(b, t, h, d, time, heads, hd)] * scale * k[at(b, j, h, d, time, heads, hd)];
            max = Math.max(max, s[j]);
        }
        for (int j = 0; j <= t; j++) sum += s[j] = Math.exp(s[j] - max);
        for (int j = 0; j <= t; j++) s[j] /= sum;
        return s;
    }

    static int at(int b, int t, int h, int d, int time, int heads, int hd) {
        return ((b * time + t) * heads + h) * hd + d;
    }

    /** Returns {per-row losses (0 where ignored), dlogits scaled by 1 / targets counted}. */
    public static double[][] softmaxCrossEntropy(float[] logits, int[] targets, int vocab, int ignoreIndex) {
        int rows = targets.length;
        long counted = java.util.Arrays.stream(targets).filter(t -> t != ignoreIndex).count();
        double[] loss = new double[rows], grad = new double[logits.length];
        for (int r = 0; r < rows; r++) {
            if (targets[r] == ignoreIndex) continue;
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int c = 0; c < vocab; c++) max = Math.max(max, logits[r * vocab + c]);
            for (int c = 0; c < vocab; c++) sum += Math.exp(logits[r * vocab + c] - max);
            double lse = max + Math.log(sum);
            loss[r] = lse - logits[r * vocab + targets[r]];
            for (int c = 0; c < vocab; c++)
                grad[r * vocab + c] = (Math.exp(logits[r * vocab + c] - lse) - (c == targets[r] ? 1 : 0)) / counted;
        }
        return new double[][] {loss, grad};
    }

    /** AdamW (ALGORITHMS.md section 2) on copies; returns the new parameters. */
    public static double[] adamw(float[] p, float[] g, float[] m, float[] v, double lr, double b1, double b2, double eps, double wd, long step) {
        double[] out = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            double mi = b1 * m[i] + (1 - b1) * g[i], vi = b2 * v[i] + (1 - b2) * g[i] * g[i];
            out[i] = p[i] * (1 - lr * wd) - lr / (1 - Math.pow(b1, step)) * mi / (Math.sqrt(vi) / Math.sqrt(1 - Math.pow(b2, step)) + eps);
        }
        return out;
    }

    /** C[m, n] = A[m, k] B[k, n]^(T if transB: B is [n, k]). */
    public static double[] matmul(float[] a, float[] b, int m, int n, int k, boolean transB) {
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) s += (double) a[i * k + p] * (transB ? b[j * k + p] : b[p * n + j]);
                c[i * n + j] = s;
            }
        return c;
    }

    /**
     * Each value rounded to bf16 (round to nearest even, as cast.cu does) and widened back to float: the
     * exact inputs a bf16 GEMM sees, so its fp32-accumulated product can be held to the fp32 limit.
     */
    public static float[] bf16Round(float[] x) {
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            int u = Float.floatToRawIntBits(x[i]);
            int bits = Float.isNaN(x[i]) ? (u >>> 16) | 0x40 : (u + 0x7fff + ((u >>> 16) & 1)) >>> 16;
            out[i] = Float.intBitsToFloat(bits << 16);
        }
        return out;
    }

    /** Norm-wise relative error ||expected - actual|| / ||expected||, the fp32 criterion. */
    public static double relativeError(double[] expected, float[] actual) {
        double diff = 0, norm = 0;
        for (int i = 0; i < expected.length; i++) {
            diff += (expected[i] - actual[i]) * (expected[i] - actual[i]);
            norm += expected[i] * expected[i];
        }
        return Math.sqrt(diff / Math.max(norm, Double.MIN_NORMAL));
    }

    /** Float values widened for comparison against the double references. */
    static double[] toDouble(float[] x) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) out[i] = x[i];
        return out;
    }
}
