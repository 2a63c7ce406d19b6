package io.frugalspark.cuda;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.ShortPointer;

/**
 * The portable GPU check (bundle entry point): reports the device, driver and libraries (CUDA runtime,
 * NVRTC, cuBLAS), compiles and loads every kernel for it, runs each checked kernel on seeded data
 * against a double-precision reference computed here, and checks that running twice gives the same
 * bits (attention, the reductions: embedding scatter, RMSNorm's weight gradient, statistics, and the
 * cuBLAS GEMMs).
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
        if (args.length == 2 && args[0].equals("--device") && args[1].matches("\\d{1,4}")) ordinal = Integer.parseInt(args[1]);
        else if (args.length != 0) {
            System.err.println("usage: gpu-check [--device N]   (N: the GPU's ordinal, as nvidia-smi lists it; default 0)");
            return USAGE;
        }
        System.out.println("frugal-spark GPU check");
        CudaDevice opened;
        try {
            opened = CudaDevice.open(ordinal);
        } catch (NoGpuException e) {
            System.out.println("NO GPU: " + e.getMessage() + ". Nothing to check on this machine (exit " + NO_GPU + ").");
            return NO_GPU;
        } catch (IllegalArgumentException e) {                  // --device N beyond the devices there are
            System.err.println("usage: " + e.getMessage());
            return USAGE;
        } catch (UnsupportedOperationException | IllegalStateException e) {
            System.out.println("FAILED: " + e.getMessage());
            return FAILED;
        }
        try (CudaDevice device = opened) {
            System.out.println(device.info());
            System.out.println("NVRTC " + Nvrtc.version() + ", cuBLAS " + Gemm.version());
            return new GpuCheck(device).all();
        } catch (RuntimeException e) {                          // a CUDA, cuBLAS or NVRTC call failed mid-check
            System.out.println("FAILED: " + e.getMessage());
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
        embedding();
        rmsNorm();
        rope();
        swiGlu();
        attention();
        crossEntropy();
        adamw();
        stateFree();
        statistics();
        cast();
        gemm();
        failures.forEach(f -> System.out.println("FAIL " + f));
        System.out.println(failures.isEmpty() ? "PASS: every check" : "FAILED: " + failures.size() + " check(s)");
        return failures.isEmpty() ? PASSED : FAILED;
    }

    private void embedding() {
        int vocab = 50, channels = 96, rows = 300;
        float[] table = gaussian(vocab * channels), dout = gaussian(rows * channels);
        int[] tokens = new int[rows];
        for (int i = 0; i < rows; i++) tokens[i] = random.nextInt(vocab / 2) * 2;     // odd rows stay untouched
        double[] gathered = new double[rows * channels], dtable = new double[table.length];
        for (int i = 0; i < rows; i++)
            for (int c = 0; c < channels; c++) {
                gathered[i * channels + c] = table[tokens[i] * channels + c];
                dtable[tokens[i] * channels + c] += dout[i * channels + c];
            }
        EmbeddingBuckets buckets = EmbeddingBuckets.of(tokens, vocab);
        long out = zeros(gathered.length), grad = zeros(table.length);
        Embedding op = new Embedding(device);
        op.forward(out, upload(tokens), upload(table), rows, channels);
        op.backward(grad, upload(dout), upload(buckets.tokens()), upload(buckets.starts()), upload(buckets.positions()),
                buckets.distinct(), channels);
        compare("embedding_forward", gathered, download(out, gathered.length));
        float[] first = download(grad, table.length);
        compare("embedding_backward", dtable, first);
        long again = zeros(table.length);
        op.backward(again, upload(dout), upload(buckets.tokens()), upload(buckets.starts()), upload(buckets.positions()),
                buckets.distinct(), channels);
        sameBits("embedding_backward (scatter by row ownership)", first, download(again, table.length));
    }

    private void rmsNorm() {
        int rows = 600, channels = 320;                  // 600 rows: three partial-sum chunks for the weight gradient
        float[] x = gaussian(rows * channels), w = gaussian(channels), dy = gaussian(rows * channels);
        long dx = upload(x), dw = upload(w), out = zeros(x.length), rstd = zeros(rows), gx = zeros(x.length), gw = zeros(channels);
        RmsNorm op = new RmsNorm(device);
        op.forward(out, rstd, dx, dw, rows, channels, 1e-6f);
        op.backward(gx, gw, zeros(RmsNorm.scratchFloats(rows, channels)), upload(dy), dx, dw, rstd, rows, channels);
        double[][] grads = KernelReferences.rmsNormBackward(x, w, dy, rows, channels, 1e-6);
        compare("rmsnorm_forward", KernelReferences.rmsNorm(x, w, rows, channels, 1e-6), download(out, x.length));
        compare("rmsnorm_backward dx", grads[0], download(gx, x.length));
        float[] firstGw = download(gw, channels);
        compare("rmsnorm_backward dweight", grads[1], firstGw);
        long gx2 = zeros(x.length), gw2 = zeros(channels);
        op.backward(gx2, gw2, zeros(RmsNorm.scratchFloats(rows, channels)), upload(dy), dx, dw, rstd, rows, channels);
        sameBits("rmsnorm_backward dweight (two-pass column sum)", firstGw, download(gw2, channels));
    }

    private void rope() {
        int batch = 2, time = 33, heads = 3, hd = 64, n = batch * time * heads * hd;
        RopeTables tables = RopeTables.of(time, hd, 10000);
        float[] x = gaussian(n);
        long dx = upload(x), cos = upload(tables.cos()), sin = upload(tables.sin());
        Rope op = new Rope(device);
        op.forward(dx, cos, sin, batch, time, heads, hd);
        compare("rope forward", KernelReferences.rope(x, tables, batch, heads, 1), download(dx, n));
        op.backward(dx, cos, sin, batch, time, heads, hd);
        compare("rope backward (inverse rotation)", KernelReferences.toDouble(x), download(dx, n));
    }

    private void swiGlu() {
        int n = 5000;
        float[] g = gaussian(n), u = gaussian(n), dh = gaussian(n);
        long h = zeros(n), dg = zeros(n), du = zeros(n), gate = upload(g), up = upload(u);
        SwiGlu op = new SwiGlu(device);
        op.forward(h, gate, up, n);
        op.backward(dg, du, upload(dh), gate, up, n);
        double[][] grads = KernelReferences.swiGluBackward(g, u, dh);
        compare("swiglu_forward", KernelReferences.swiGlu(g, u), download(h, n));
        compare("swiglu_backward dgate", grads[0], download(dg, n));
        compare("swiglu_backward dup", grads[1], download(du, n));
    }

    /** The shapes: a ragged last tile, the T = 1024 the issue asks for (32 key tiles), and the widest head. */
    private void attention() {
        attention(2, 77, 3, 64);
        attention(1, 1024, 2, 64);
        attention(1, 40, 2, LaunchPlan.ATTENTION_MAX_HEAD_DIM);
    }

    private void attention(int batch, int time, int heads, int hd) {
        int n = batch * time * heads * hd, rows = batch * heads * time;
        String shape = " [B" + batch + " T" + time + " H" + heads + " d" + hd + "]";
        float[] q = gaussian(n), k = gaussian(n), v = gaussian(n), g = gaussian(n);
        long dq = upload(q), dk = upload(k), dv = upload(v), dout = upload(g), out = zeros(n), lse = zeros(rows);
        long gq = zeros(n), gk = zeros(n), gv = zeros(n), delta = zeros(rows);
        Attention op = new Attention(device);
        op.forward(out, lse, dq, dk, dv, batch, time, heads, hd);
        op.backward(gq, gk, gv, delta, dout, out, dq, dk, dv, lse, batch, time, heads, hd);
        float[] first = download(out, n), firstDk = download(gk, n);
        double[][] grads = KernelReferences.attentionBackward(q, k, v, g, batch, time, heads, hd);
        compare("attention_forward" + shape, KernelReferences.attention(q, k, v, batch, time, heads, hd), first);
        compare("attention_backward dq" + shape, grads[0], download(gq, n));
        compare("attention_backward dk" + shape, grads[1], firstDk);
        compare("attention_backward dv" + shape, grads[2], download(gv, n));
        op.forward(out, lse, dq, dk, dv, batch, time, heads, hd);
        op.backward(gq, gk, gv, delta, dout, out, dq, dk, dv, lse, batch, time, heads, hd);
        sameBits("attention_forward" + shape, first, download(out, n));
        sameBits("attention_backward dk" + shape, firstDk, download(gk, n));
    }

    private void crossEntropy() {
        int rows = 9, vocab = 3001, ignore = 0;
        float[] logits = gaussian(rows * vocab);
        int[] targets = new int[rows];
        for (int r = 0; r < rows; r++) targets[r] = r == 4 ? ignore : 1 + random.nextInt(vocab - 1);
        double[][] expected = KernelReferences.softmaxCrossEntropy(logits, targets, vocab, ignore);
        long dl = upload(logits), losses = zeros(rows);
        new CrossEntropy(device).forwardBackward(dl, losses, upload(targets), rows, vocab, ignore, rows - 1);
        compare("softmax_cross_entropy loss", expected[0], download(losses, rows));
        compare("softmax_cross_entropy gradient", expected[1], download(dl, logits.length));
    }

    private void adamw() {
        int n = 4099;
        float[] p = gaussian(n), g = gaussian(n), m = gaussian(n), v = gaussian(n);
        for (int i = 0; i < n; i++) v[i] = Math.abs(v[i]);
        long dp = upload(p);
        new OptimizerStep(device).adamw(dp, upload(g), upload(m), upload(v), n, 1e-3, 0.9, 0.999, 1e-8, 1e-3, 0.1, 3);
        compare("adamw_step", KernelReferences.adamw(p, g, m, v, 1e-3, 0.9, 0.999, 1e-8, 0.1, 3), download(dp, n));
    }

    private void stateFree() {
        int n = 3000;
        float[] p = gaussian(n), g = gaussian(n);
        g[7] = 0;                                          // sign(0) = 0
        for (OptimizerStep.Rule rule : OptimizerStep.Rule.values()) {
            double[] expected = new double[n];
            for (int i = 0; i < n; i++) {
                double u = rule == OptimizerStep.Rule.SIGN_SGD ? Math.signum(g[i]) : rule == OptimizerStep.Rule.SGD ? g[i] : 0;
                expected[i] = p[i] * (1 - 0.01 * 0.1) - 0.003 * u;
            }
            long dp = upload(p);
            new OptimizerStep(device).stateFree(dp, upload(g), n, 0.003, 0.01, 0.1, rule);
            compare("state_free_step " + rule, expected, download(dp, n));
        }
    }

    private void statistics() {
        List<TensorSpec> tensors = List.of(new TensorSpec("a", TensorSpec.Role.NORM, 1, 100000), new TensorSpec("b", TensorSpec.Role.NORM, 3, 7));
        ArenaLayout layout = new ArenaLayout(tensors);
        float[] arena = new float[(int) layout.totalElements()];
        double[] expected = new double[6];
        for (int t = 0; t < tensors.size(); t++) {
            String name = tensors.get(t).name();
            for (long i = layout.offset(name); i < layout.offset(name) + layout.elements(name); i++) {
                float x = (float) random.nextGaussian();
                arena[(int) i] = x;
                expected[t * 3] += x;
                expected[t * 3 + 1] += (double) x * x;
                expected[t * 3 + 2] = Math.max(expected[t * 3 + 2], Math.abs(x));
            }
        }
        long[] offsets = layout.statsOffsets();
        long stats = zeros(6), deviceOffsets = copyIn(new LongPointer(offsets), (long) offsets.length * Long.BYTES);
        long deviceArena = upload(arena), stats2 = zeros(6);
        new TensorStats(device).compute(stats, zeros(TensorStats.scratchFloats(2)), deviceArena, deviceOffsets, 2);
        new TensorStats(device).compute(stats2, zeros(TensorStats.scratchFloats(2)), deviceArena, deviceOffsets, 2);
        float[] got = download(stats, 6);
        sameBits("tensor_stats", got, download(stats2, 6));
        for (int t = 0; t < 2; t++) {
            compare("tensor_stats sum of squares " + t, new double[] {expected[t * 3 + 1]}, new float[] {got[t * 3 + 1]});
            compare("tensor_stats max |x| " + t, new double[] {expected[t * 3 + 2]}, new float[] {got[t * 3 + 2]});
            // a sum of Gaussians is near 0, so it is held to the norm of what was added, not to itself
            if (Math.abs(expected[t * 3] - got[t * 3]) > FP32_TOLERANCE * Math.sqrt(expected[t * 3 + 1]))
                failures.add("tensor_stats sum " + t + ": " + got[t * 3] + " vs " + expected[t * 3]);
        }
    }

    /** Round to nearest even: the bf16 whose float is nearest, ties to an even last bit; NaN stays NaN. */
    private void cast() {
        float[] x = {1f, -2.5f, 1.00390625f, 1.01171875f, 3.0e38f, Float.NaN, 1e-40f, Float.intBitsToFloat(0x3f808001)};
        int[] expectedBits = {0x3f80, 0xc020, 0x3f80, 0x3f82, 0x7f62, -1, 0x0001, 0x3f81};
        long out = zeros(x.length);                       // x.length floats hold twice as many bf16 values
        new Bf16Cast(device).cast(out, upload(x), x.length);
        ShortPointer host = new ShortPointer(x.length);
        device.download(out, host, (long) x.length * 2);
        device.synchronize();
        for (int i = 0; i < x.length; i++) {
            int bits = host.get(i) & 0xffff;
            boolean ok = expectedBits[i] < 0 ? Float.isNaN(Float.intBitsToFloat(bits << 16)) : bits == expectedBits[i];
            if (!ok) failures.add(String.format("float_to_bf16: %s became 0x%04x", x[i], bits));
        }
        System.out.println("PASS float_to_bf16 on " + x.length + " edge values (ties, NaN, subnormal)");
    }

    private void gemm() {
        int m = 67, n = 129, k = 96;
        float[] a = gaussian(m * k), w = gaussian(n * k);
        try (Gemm gemm = new Gemm(device)) {
            long c = zeros((long) m * n), da = upload(a), dw = upload(w);
            gemm.rowMajor(false, true, m, n, k, da, dw, c, false, false);     // y = x W^T, a Linear forward
            float[] first = download(c, m * n);
            compare("cublasGemmEx fp32 (x W^T)", KernelReferences.matmul(a, w, m, n, k, true), first);
            gemm.rowMajor(false, true, m, n, k, da, dw, c, false, false);
            sameBits("cublasGemmEx fp32", first, download(c, m * n));
            if (!device.info().cc().hasBf16()) {
                System.out.println("SKIP cublasGemmEx bf16: " + device.info().cc().sm() + " has no bf16 tensor cores (train.precision = fp32 only)");
                return;
            }
            // bf16 inputs (cast.cu's copies), fp32 accumulation and output: exact bf16 products, so the fp32 limit holds
            long ba = zeros((m * k + 1) / 2), bw = zeros((n * k + 1) / 2), cb = zeros((long) m * n);
            Bf16Cast cast = new Bf16Cast(device);
            cast.cast(ba, da, (long) m * k);
            cast.cast(bw, dw, (long) n * k);
            gemm.rowMajor(false, true, m, n, k, ba, bw, cb, false, true);
            float[] firstBf16 = download(cb, m * n);
            compare("cublasGemmEx bf16 in, fp32 out (x W^T)",
                    KernelReferences.matmul(KernelReferences.bf16Round(a), KernelReferences.bf16Round(w), m, n, k, true), firstBf16);
            gemm.rowMajor(false, true, m, n, k, ba, bw, cb, false, true);
            sameBits("cublasGemmEx bf16", firstBf16, download(cb, m * n));
        }
    }

    private void sameBits(String what, float[] first, float[] second) {
        if (Arrays.equals(first, second)) System.out.println("PASS " + what + ": bit-identical on a second run");
        else failures.add(what + ": a second run gave different bits");
    }

    private void compare(String what, double[] expected, float[] actual) {
        double rel = KernelReferences.relativeError(expected, actual);
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
