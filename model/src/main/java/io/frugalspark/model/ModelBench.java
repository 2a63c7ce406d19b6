package io.frugalspark.model;

import io.frugalspark.model.layers.Attention;
import io.frugalspark.model.layers.DenseLinear;
import io.frugalspark.model.layers.Embedding;
import io.frugalspark.model.layers.Linear;
import io.frugalspark.model.layers.LmHeadLoss;
import io.frugalspark.model.layers.RMSNorm;
import io.frugalspark.model.layers.Rope;
import io.frugalspark.model.layers.SwiGluMlp;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;
import java.util.stream.LongStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Forward plus backward throughput of a preset on random tokens:
 * {@code --preset llama-60m --batch 8 --seq 256 --vocab 32000 --steps 5 --warmup 2 [--dtype double] [--recompute] [--sltrain]
 * [--attention-block 64]}.
 * Prints tokens/s, model GFLOP/s (matmul FLOPs, 3x forward) and peak resident memory; {@code --profile}
 * adds the time of each layer kind's forward and backward, measured on the layer classes alone;
 * {@code --gemm 2048} adds the GFLOP/s of one square GEMM through the same BLAS in the same process,
 * the ceiling the model's GFLOP/s is compared with.
 */
public final class ModelBench {
    private ModelBench() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out));
    }

    public static int run(String[] args, PrintStream out) {
        try {
            return bench(args, out);
        } catch (IllegalArgumentException e) {
            out.println("bench model: " + e.getMessage() + "\nusage: --preset llama-60m --batch 8 --seq 256 --vocab 32000"
                    + " --steps 5 --warmup 2 [--dtype double] [--recompute] [--sltrain] [--attention-block 64] [--profile] [--gemm 2048]");
            return 2;
        }
    }

    private static int bench(String[] args, PrintStream out) {
        Map<String, String> opt = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String key = args[i].replaceFirst("^--", "");
            boolean flag = i + 1 >= args.length || args[i + 1].startsWith("--");
            opt.put(key, flag ? "true" : args[++i]);
        }
        int batch = Integer.parseInt(opt.getOrDefault("batch", "8"));
        int seq = Integer.parseInt(opt.getOrDefault("seq", "256"));
        int steps = Integer.parseInt(opt.getOrDefault("steps", "5"));
        if (steps < 1) throw new IllegalArgumentException("--steps must be at least 1");
        int warmup = Integer.parseInt(opt.getOrDefault("warmup", "2"));
        LlamaConfig.Builder builder = LlamaConfig.preset(opt.getOrDefault("preset", "llama-60m"),
                        Integer.parseInt(opt.getOrDefault("vocab", "32000")), seq).toBuilder()
                .recomputeActivations(opt.containsKey("recompute")).sltrain(opt.containsKey("sltrain"));
        if (opt.containsKey("attention-block")) builder.attentionBlock(Integer.parseInt(opt.get("attention-block")));
        LlamaConfig cfg = builder.build();
        DataType dtype = opt.getOrDefault("dtype", "float").equals("double") ? DataType.DOUBLE : DataType.FLOAT;

        int[][] tokens = randomTokens(batch, seq + 1, cfg.vocabSize);
        out.printf("model %s, %s, batch %d x seq %d, %d threads, %.2fM parameters%n", cfg, dtype, batch, seq,
                Nd4j.getEnvironment().maxMasterThreads(), cfg.parameterCount() / 1e6);
        // The model is unreachable once timed, so the profile's layers do not add to its buffers.
        double[] timing = timeSteps(LlamaModel.init(cfg, 1, dtype), tokens, warmup, steps, out);
        double mean = timing[0], best = timing[1], cpu = timing[2], tokensPerStep = (double) batch * seq;
        out.printf("forward+backward: mean %.3f s/step (best %.3f), %.1f tokens/s (best %.1f), %.1f GFLOP/s (best %.1f), "
                        + "%.2f cpu-s/step, peak RSS %.2f GiB%n", mean, best, tokensPerStep / mean, tokensPerStep / best,
                flops(cfg, batch, seq) / mean / 1e9, flops(cfg, batch, seq) / best / 1e9, cpu, peakRssGiB());
        if (opt.containsKey("gemm")) {
            int n = Integer.parseInt(opt.get("gemm"));
            double[] g = gemmGflops(n, dtype, 10);
            out.printf("gemm n=%d: mean %.1f GFLOP/s (best %.1f); model mean at %.0f %% of the GEMM mean%n", n, g[0], g[1],
                    100 * flops(cfg, batch, seq) / mean / 1e9 / g[0]);
        }
        if (opt.containsKey("profile")) {
            profile(cfg, batch, seq, dtype, Math.max(1, steps), out);
        }
        return 0;
    }

    /** Mean and best seconds per step and mean CPU seconds per step, over the steps after the warm-up ones. */
    private static double[] timeSteps(LlamaModel model, int[][] tokens, int warmup, int steps, PrintStream out) {
        double best = Double.MAX_VALUE, total = 0, cpu = 0;
        for (int s = 0; s < warmup + steps; s++) {
            long t0 = System.nanoTime(), c0 = cpuNanos();
            LossResult r = model.forwardBackward(tokens, -1);
            double sec = (System.nanoTime() - t0) / 1e9, cpuSec = (cpuNanos() - c0) / 1e9;
            out.printf("step %d: %.3f s (cpu %.3f s), loss %.4f%n", s, sec, cpuSec, r.mean());
            if (s >= warmup) {
                best = Math.min(best, sec);
                total += sec;
                cpu += cpuSec;
            }
        }
        return new double[] {total / steps, best, cpu / steps};
    }

    /** Per step, per layer kind: forward and backward seconds times the number of such layers. */
    static void profile(LlamaConfig cfg, int batch, int seq, DataType dtype, int reps, PrintStream out) {
        int n = batch * seq, d = cfg.hidden, f = cfg.intermediate;
        INDArray x = Nd4j.rand(dtype, n, d).subi(0.5), y = Nd4j.create(dtype, n, d), g = Nd4j.rand(dtype, n, d), gx = Nd4j.create(dtype, n, d);
        INDArray ids = Nd4j.createFromArray(Arrays.stream(randomTokens(1, n, cfg.vocabSize)[0]).asLongStream().toArray());
        INDArray targets = Nd4j.createFromArray(LongStream.range(0, n).map(i -> i * cfg.vocabSize).toArray());
        INDArray counted = Nd4j.ones(dtype, n, 1);
        Attention attn = new Attention(linear("q", d, d, dtype), linear("k", d, d, dtype), linear("v", d, d, dtype),
                linear("o", d, d, dtype), cfg.heads, cfg.headDim(),
                new Rope(cfg.heads, cfg.headDim(), seq, cfg.ropeBase, dtype), cfg.attentionBlock,
                new Attention.Activations(), new Attention.Scratch());
        SwiGluMlp mlp = new SwiGluMlp(linear("gate", f, d, dtype), linear("down", d, f, dtype), linear("up", f, d, dtype),
                f, new SwiGluMlp.Activations(), new SwiGluMlp.Scratch());
        RMSNorm norm = new RMSNorm("norm", d, cfg.rmsEps, dtype, new RMSNorm.Scratch());
        Embedding embed = new Embedding("embed", cfg.vocabSize, d, dtype);
        LmHeadLoss head = new LmHeadLoss("head", cfg.vocabSize, d, dtype);
        double[] total = new double[1];
        Map<String, Double> rows = new LinkedHashMap<>();
        BiConsumer<String, Runnable> time = (label, r) -> rows.put(label, seconds(reps, r));
        time.accept("embedding fwd", () -> embed.forward(ids, y));
        time.accept("embedding bwd", () -> embed.backward(ids, g));
        time.accept("rmsnorm fwd", () -> norm.forward(x, y));
        time.accept("rmsnorm bwd", () -> norm.backward(x, g, gx));
        time.accept("attention fwd", () -> attn.forward(x, y, batch, seq));
        time.accept("attention bwd", () -> attn.backward(x, g, gx, batch, seq));
        time.accept("mlp fwd", () -> mlp.forward(x, y));
        time.accept("mlp bwd", () -> mlp.backward(x, g, gx));
        time.accept("lm_head+loss fwd", () -> head.forward(x, targets, counted));
        time.accept("lm_head+loss bwd", () -> head.forwardBackward(x, targets, counted, gx));
        rows.put("lm_head+loss bwd", rows.get("lm_head+loss bwd") - rows.get("lm_head+loss fwd"));
        out.println("per-step profile (layer time x layers per model):");
        rows.forEach((label, sec) -> {
            int count = label.startsWith("rmsnorm") ? 2 * cfg.layers + 1
                    : label.startsWith("attention") || label.startsWith("mlp") ? cfg.layers : 1;
            total[0] += sec * count;
            out.printf("  %-18s %8.1f ms x %2d = %8.1f ms%n", label, sec * 1e3, count, sec * count * 1e3);
        });
        out.printf("  %-18s %36.1f ms%n", "sum", total[0] * 1e3);
        double lmHead = rows.get("lm_head+loss fwd") + rows.get("lm_head+loss bwd"), gemms = lmHeadGemmSeconds(x, head, reps);
        out.printf("lm_head's three GEMMs alone: %.1f ms; lm_head+loss fwd+bwd at %.2fx of them%n", gemms * 1e3, lmHead / gemms);
    }

    /** Logits, weight-gradient and input-gradient GEMMs of lm_head on the whole batch: its floor. */
    private static double lmHeadGemmSeconds(INDArray x, LmHeadLoss head, int reps) {
        INDArray w = head.parameter().value(), logits = Nd4j.create(x.dataType(), x.rows(), w.rows());
        INDArray gw = Nd4j.create(x.dataType(), w.shape()), gx = Nd4j.create(x.dataType(), x.shape());
        return seconds(reps, () -> {
            Nd4j.gemm(x, w, logits, false, true, 1, 0);
            Nd4j.gemm(logits, x, gw, true, false, 1, 0);
            Nd4j.gemm(logits, w, gx, false, false, 1, 0);
        });
    }

    /** Mean seconds of {@code r} over {@code reps} calls after one warm-up call. */
    private static double seconds(int reps, Runnable r) {
        r.run();
        long t0 = System.nanoTime();
        for (int i = 0; i < reps; i++) r.run();
        return (System.nanoTime() - t0) / 1e9 / reps;
    }

    /** Mean and best GFLOP/s of an n x n x n GEMM into a preallocated output, after one warm-up call. */
    static double[] gemmGflops(int n, DataType dtype, int reps) {
        INDArray a = Nd4j.rand(dtype, n, n), b = Nd4j.rand(dtype, n, n), c = Nd4j.create(dtype, n, n);
        a.mmuli(b, c);
        double flop = 2.0 * n * n * n, total = 0, best = Double.MAX_VALUE;
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            a.mmuli(b, c);
            double sec = (System.nanoTime() - t0) / 1e9;
            total += sec;
            best = Math.min(best, sec);
        }
        return new double[] {flop * reps / total / 1e9, flop / best / 1e9};
    }

    private static Linear linear(String name, int out, int in, DataType dtype) {
        DenseLinear l = new DenseLinear(name, Parameter.ATTENTION, out, in, dtype);
        l.init(new SplittableRandom(1));
        return l;
    }

    /**
     * Matmul FLOPs of one forward plus backward (3x the forward's): linears, attention products, lm_head.
     * Causal attention counts half of its T x T products: the masked half does no useful work.
     */
    public static double flops(LlamaConfig cfg, int batch, int seq) {
        double n = (double) batch * seq, d = cfg.hidden, f = cfg.intermediate;
        double linear = 2 * n * (cfg.layers * (4 * d * d + 3 * d * f) + d * cfg.vocabSize);
        double attention = 2.0 * cfg.layers * batch * (double) seq * seq * d;
        return 3 * (linear + attention);
    }

    static int[][] randomTokens(int rows, int len, int vocab) {
        SplittableRandom rng = new SplittableRandom(7);
        int[][] t = new int[rows][len];
        for (int[] row : t)
            for (int i = 0; i < len; i++) row[i] = rng.nextInt(vocab);
        return t;
    }

    /** CPU time of the whole process (all native threads), for comparisons on a shared machine. */
    static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** VmHWM of this process (Linux), NaN elsewhere. */
    static double peakRssGiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status")))
                if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("\\D", "")) / (1024.0 * 1024);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }
}
