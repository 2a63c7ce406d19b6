package io.frugalspark.cuda;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;

/**
 * The portable GPU check (bundle entry point): reports the device and libraries, compiles and loads
 * every kernel for it, runs each checked kernel on seeded data against a double-precision reference
 * computed here, and checks that running twice gives the same bits.
 * Exit codes: 0 every check passed, 1 a check failed, 2 usage, 3 no NVIDIA GPU or driver on this machine.
 */
public final class GpuCheck {

    public static final int PASSED = 0, FAILED = 1, USAGE = 2, NO_GPU = 3;
    private static final double FP32_TOLERANCE = 1e-5;

    private final CudaDevice device;
    private final List<String> failures = new ArrayList<>();
    private final Random random = new Random(20261201);

    private GpuCheck(CudaDevice device) {
        this.device = device;
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        int ordinal = 0;
        if (args.length == 2 && args[0].equals("--device")) ordinal = Integer.parseInt(args[1]);
        else if (args.length != 0) {
            System.err.println("usage: gpu-check [--device N]");
            return USAGE;
        }
        System.out.println("frugal-spark GPU check");
        try (CudaDevice device = CudaDevice.open(ordinal)) {
            System.out.println(device.info());
            System.out.println("NVRTC " + Nvrtc.version());
            return new GpuCheck(device).all();
        } catch (NoGpuException e) {
            System.out.println("NO GPU: " + e.getMessage() + ". Nothing to check on this machine (exit " + NO_GPU + ").");
            return NO_GPU;
        } catch (UnsupportedOperationException e) {
            System.out.println("UNSUPPORTED: " + e.getMessage());
            return FAILED;
        }
    }

    private int all() {
        for (KernelSource s : KernelSource.values()) {
            Cubin c = Nvrtc.compile(s, device.info().cc());
            s.kernels().forEach(k -> {
                device.function(s, k);
                System.out.println("  loaded " + s.file() + ":" + k + " (" + c.resources(k) + ")");
            });
            failures.addAll(c.violations());
        }
        rmsNorm();
        swiGlu();
        crossEntropy();
        adamw();
        attention();
        failures.forEach(f -> System.out.println("FAIL " + f));
        System.out.println(failures.isEmpty() ? "PASS: every check" : "FAILED: " + failures.size() + " check(s)");
        return failures.isEmpty() ? PASSED : FAILED;
    }

    private void rmsNorm() {
        int rows = 37, channels = 320;
        float[] x = gaussian(rows * channels), w = gaussian(channels);
        double[] expected = new double[x.length];
        for (int r = 0; r < rows; r++) {
            double ss = 0;
            for (int c = 0; c < channels; c++) ss += (double) x[r * channels + c] * x[r * channels + c];
            double rstd = 1 / Math.sqrt(ss / channels + 1e-6);
            for (int c = 0; c < channels; c++) expected[r * channels + c] = w[c] * x[r * channels + c] * rstd;
        }
        long dx = upload(x), dw = upload(w), out = zeros(x.length), rstd = zeros(rows);
        new RmsNorm(device).forward(out, rstd, dx, dw, rows, channels, 1e-6f);
        compare("rmsnorm_forward", expected, download(out, x.length));
    }

    private void swiGlu() {
        int n = 5000;
        float[] g = gaussian(n), u = gaussian(n);
        double[] expected = new double[n];
        for (int i = 0; i < n; i++) expected[i] = g[i] / (1 + Math.exp(-g[i])) * u[i];
        long h = zeros(n);
        new SwiGlu(device).forward(h, upload(g), upload(u), n);
        compare("swiglu_forward", expected, download(h, n));
    }

    private void crossEntropy() {
        int rows = 9, vocab = 3001, ignore = 0;
        float[] logits = gaussian(rows * vocab);
        int[] targets = new int[rows];
        for (int r = 0; r < rows; r++) targets[r] = r == 4 ? ignore : 1 + random.nextInt(vocab - 1);
        double[] loss = new double[rows], grad = new double[logits.length];
        for (int r = 0; r < rows; r++) {
            if (targets[r] == ignore) continue;
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int c = 0; c < vocab; c++) max = Math.max(max, logits[r * vocab + c]);
            for (int c = 0; c < vocab; c++) sum += Math.exp(logits[r * vocab + c] - max);
            double lse = max + Math.log(sum);
            loss[r] = lse - logits[r * vocab + targets[r]];
            for (int c = 0; c < vocab; c++)
                grad[r * vocab + c] = (Math.exp(logits[r * vocab + c] - lse) - (c == targets[r] ? 1 : 0)) / (rows - 1);
        }
        long dl = upload(logits), losses = zeros(rows);
        new CrossEntropy(device).forwardBackward(dl, losses, upload(targets), rows, vocab, ignore, rows - 1);
        compare("softmax_cross_entropy loss", loss, download(losses, rows));
        compare("softmax_cross_entropy gradient", grad, download(dl, logits.length));
    }

    private void adamw() {
        int n = 4099;
        float[] p = gaussian(n), g = gaussian(n), m = gaussian(n), v = gaussian(n);
        for (int i = 0; i < n; i++) v[i] = Math.abs(v[i]);
        double lr = 1e-3, b1 = 0.9, b2 = 0.999, eps = 1e-8, wd = 0.1;
        int step = 3;
        double[] expected = new double[n];
        for (int i = 0; i < n; i++) {
            double mi = b1 * m[i] + (1 - b1) * g[i], vi = b2 * v[i] + (1 - b2) * g[i] * g[i];
            expected[i] = p[i] * (1 - lr * wd) - lr / (1 - Math.pow(b1, step)) * mi / (Math.sqrt(vi) / Math.sqrt(1 - Math.pow(b2, step)) + eps);
        }
        long dp = upload(p);
        new OptimizerStep(device).adamw(dp, upload(g), upload(m), upload(v), n, lr, b1, b2, eps, lr, wd, step);
        compare("adamw_step", expected, download(dp, n));
    }

    private void attention() {
        int batch = 2, time = 77, heads = 3, hd = 64, n = batch * time * heads * hd;
        float[] q = gaussian(n), k = gaussian(n), v = gaussian(n);
        double[] expected = new double[n];
        double scale = 1 / Math.sqrt(hd);
        for (int b = 0; b < batch; b++)
            for (int h = 0; h < heads; h++)
                for (int t = 0; t < time; t++) {
                    double[] s = new double[t + 1];
                    double max = Double.NEGATIVE_INFINITY, sum = 0;
                    for (int j = 0; j <= t; j++) {
                        for (int d = 0; d < hd; d++) s[j] += q[at(b, t, h, d, time, heads, hd)] * scale * k[at(b, j, h, d, time, heads, hd)];
                        max = Math.max(max, s[j]);
                    }
                    for (int j = 0; j <= t; j++) sum += s[j] = Math.exp(s[j] - max);
                    for (int d = 0; d < hd; d++) {
                        double o = 0;
                        for (int j = 0; j <= t; j++) o += s[j] / sum * v[at(b, j, h, d, time, heads, hd)];
                        expected[at(b, t, h, d, time, heads, hd)] = o;
                    }
                }
        long dq = upload(q), dk = upload(k), dv = upload(v), out = zeros(n), lse = zeros(batch * heads * time);
        Attention attention = new Attention(device);
        attention.forward(out, lse, dq, dk, dv, batch, time, heads, hd);
        float[] first = download(out, n);
        compare("attention_forward", expected, first);
        long gq = zeros(n), gk = zeros(n), gv = zeros(n), delta = zeros(batch * heads * time), dout = upload(gaussian(n));
        attention.backward(gq, gk, gv, delta, dout, out, dq, dk, dv, lse, batch, time, heads, hd);
        float[] once = download(gk, n);
        attention.forward(out, lse, dq, dk, dv, batch, time, heads, hd);
        attention.backward(gq, gk, gv, delta, dout, out, dq, dk, dv, lse, batch, time, heads, hd);
        if (!Arrays.equals(first, download(out, n)) || !Arrays.equals(once, download(gk, n)))
            failures.add("attention: a second run gave different bits");
        else System.out.println("PASS attention: bit-identical on a second run");
    }

    private static int at(int b, int t, int h, int d, int time, int heads, int hd) {
        return ((b * time + t) * heads + h) * hd + d;
    }

    /** Norm-wise relative error, the fp32 criterion. */
    private void compare(String what, double[] expected, float[] actual) {
        double diff = 0, norm = 0;
        for (int i = 0; i < expected.length; i++) {
            diff += (expected[i] - actual[i]) * (expected[i] - actual[i]);
            norm += expected[i] * expected[i];
        }
        double rel = Math.sqrt(diff / Math.max(norm, 1e-300));
        String line = what + ": relative error " + String.format("%.2e", rel) + " (limit " + FP32_TOLERANCE + ")";
        if (rel <= FP32_TOLERANCE) System.out.println("PASS " + line);
        else failures.add(line);
    }

    private float[] gaussian(int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) out[i] = (float) random.nextGaussian();
        return out;
    }

    private long upload(float[] data) {
        return copyIn(new FloatPointer(data), (long) data.length * Float.BYTES);
    }

    private long upload(int[] data) {
        return copyIn(new IntPointer(data), (long) data.length * Integer.BYTES);
    }

    private long copyIn(Pointer host, long bytes) {
        long address = device.allocate(bytes).address();
        device.upload(host, address, bytes);
        device.synchronize();
        return address;
    }

    private long zeros(long floats) {
        return device.allocate(floats * Float.BYTES).address();
    }

    private float[] download(long address, int n) {
        FloatPointer host = new FloatPointer(n);
        device.download(address, host, (long) n * Float.BYTES);
        device.synchronize();
        float[] out = new float[n];
        host.get(out);
        return out;
    }
}
