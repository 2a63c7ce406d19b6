package io.frugalspark.job.train;

import io.frugalspark.data.Manifest;
import io.frugalspark.job.config.FrugalConfig;
import io.frugalspark.model.LlamaConfig;
import io.frugalspark.model.LlamaModel;
import io.frugalspark.optim.method.Method;
import java.io.PrintStream;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * {@code train --dry-run}: sizes and time of a run from shapes, without training. Memory figures are
 * estimates from formulas (the large presets are never allocated); throughput is measured on the
 * driver with one worker's micro-batch when the model is small enough to probe.
 */
public final class DryRun {
    private static final long PROBE_LIMIT = 200_000_000L;
    private static final double GIB = 1024.0 * 1024 * 1024;

    private DryRun() {}

    public static void print(FrugalConfig config, PrintStream out) {
        TrainSettings s = TrainSettings.from(config);
        int vocab = config.getInt("data.vocab_size");
        int seqLen = config.getInt("data.seq_len");
        try {
            Manifest m = Manifest.read(s.tokensDir());
            vocab = m.vocabSize();
            seqLen = m.seqLen();
            out.println("data              " + s.tokensDir() + " (manifest: vocab " + vocab + ", seq_len " + seqLen + ")");
        } catch (RuntimeException e) {
            out.println("data              no manifest at " + s.tokensDir() + "; using data.vocab_size and data.seq_len");
        }
        LlamaConfig c = ModelFactory.config(s, vocab, seqLen);
        long p = c.parameterCount();
        Method method = OptimizerFactory.method(s);
        double state = method.stateBytes(ModelShapes.of(c), Float.BYTES, s.loop().seed());
        double weights = 4.0 * p;
        double grads = 4.0 * p * (s.loop().accumulation() > 1 ? 2 : 1);
        double acts = activationBytes(c, s.loop().microBatch(), seqLen);
        long tokensPerStep = (long) s.loop().globalBatch() * (seqLen - 1);
        out.printf("model             %s%s: %,d parameters (%.2fM)%n", s.model().preset(), s.model().sltrain() ? " + SLTrain" : "", p, p / 1e6);
        out.printf("optimizer         %s: state about %.2f GiB (from shapes: the first selection's moments and bases)%n",
                method.name(), state / GIB);
        out.printf("per executor      about %.2f GiB: weights %.2f, gradients%s %.2f, optimizer %.2f, activations %.2f%n",
                (weights + grads + state + acts) / GIB, weights / GIB, s.loop().accumulation() > 1 ? " + accumulation" : "",
                grads / GIB, state / GIB, acts / GIB);
        out.printf("batch             %d workers x micro-batch %d x accumulation %d = %d sequences, %,d tokens per step%n",
                s.loop().workers(), s.loop().microBatch(), s.loop().accumulation(), s.loop().globalBatch(), tokensPerStep);
        out.printf("run               %d steps, %,d tokens%n", s.loop().steps(), tokensPerStep * s.loop().steps());
        if (p <= PROBE_LIMIT) {
            double tps = probeTokensPerSecond(c, s.loop().microBatch(), seqLen, s.loop().seed());
            double secs = (double) tokensPerStep * s.loop().steps() / (tps * s.loop().workers());
            out.printf("throughput        %,.0f tokens/s per worker measured here; ETA about %s with %d such workers (compute only)%n",
                    tps, hours(secs), s.loop().workers());
        } else {
            out.println("throughput        not probed (model above " + PROBE_LIMIT / 1_000_000 + "M parameters)");
        }
    }

    private static double activationBytes(LlamaConfig c, int micro, int seqLen) {
        double tokens = (double) micro * seqLen;
        double perLayer = tokens * (10.0 * c.hidden + 4.0 * c.intermediate + 2.0 * c.heads * seqLen);
        return 4.0 * (c.layers * perLayer + 2.0 * tokens * c.vocabSize);
    }

    private static double probeTokensPerSecond(LlamaConfig c, int micro, int seqLen, long seed) {
        LlamaModel model = LlamaModel.init(c, seed, DataType.FLOAT);
        Random rnd = new Random(seed);
        int[][] batch = new int[micro][seqLen];
        for (int[] row : batch) {
            for (int t = 0; t < seqLen; t++) {
                row[t] = rnd.nextInt(c.vocabSize);
            }
        }
        model.forwardBackward(batch, -1); // warm-up
        long t0 = System.nanoTime();
        model.forwardBackward(batch, -1);
        return micro * (seqLen - 1) / ((System.nanoTime() - t0) / 1e9);
    }

    private static String hours(double secs) {
        long s = Math.round(secs);
        return String.format("%dh%02dm%02ds", s / 3600, s / 60 % 60, s % 60);
    }
}
