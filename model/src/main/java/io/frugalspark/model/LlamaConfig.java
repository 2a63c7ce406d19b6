package io.frugalspark.model;

import java.util.Locale;

/**
 * Shapes and options of a LLaMA decoder (ALGORITHMS.md section 11) and of its optional SLTrain
 * sparse-plus-low-rank linears (section 10). Immutable; build with {@link #builder()} or
 * {@link #preset}.
 */
public final class LlamaConfig {
    public final int hidden;
    public final int intermediate;
    public final int heads;
    public final int layers;
    public final int vocabSize;
    /** Longest input the RoPE table covers (inputs are stored sequences minus one token). */
    public final int maxSeqLen;
    public final double rmsEps;
    public final double ropeBase;
    public final boolean sltrain;
    public final int slRank;
    public final double slAlpha;
    public final double slDelta;
    public final long slSeed;
    /** Keep only block inputs between forward and backward and recompute the rest. */
    public final boolean recomputeActivations;
    /** Queries per causal-attention row block (a speed knob: any value gives the same model). */
    public final int attentionBlock;

    private LlamaConfig(Builder b) {
        hidden = b.hidden;
        intermediate = b.intermediate;
        heads = b.heads;
        layers = b.layers;
        vocabSize = b.vocabSize;
        maxSeqLen = b.maxSeqLen;
        rmsEps = b.rmsEps;
        ropeBase = b.ropeBase;
        sltrain = b.sltrain;
        slRank = b.slRank;
        slAlpha = b.slAlpha;
        slDelta = b.slDelta;
        slSeed = b.slSeed;
        recomputeActivations = b.recomputeActivations;
        attentionBlock = b.attentionBlock;
        if (hidden <= 0 || intermediate <= 0 || heads <= 0 || layers <= 0 || vocabSize <= 0 || maxSeqLen <= 0
                || attentionBlock <= 0)
            throw new IllegalArgumentException("model sizes must be positive: " + this);
        if (hidden % heads != 0 || (hidden / heads) % 2 != 0)
            throw new IllegalArgumentException("hidden/heads must be an even integer (RoPE pairs halves): " + this);
        if (sltrain && (slRank <= 0 || slDelta < 0 || slDelta > 1))
            throw new IllegalArgumentException("SLTrain needs rank > 0 and 0 <= delta <= 1: " + this);
    }

    public int headDim() {
        return hidden / heads;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.hidden = hidden;
        b.intermediate = intermediate;
        b.heads = heads;
        b.layers = layers;
        b.vocabSize = vocabSize;
        b.maxSeqLen = maxSeqLen;
        b.rmsEps = rmsEps;
        b.ropeBase = ropeBase;
        b.sltrain = sltrain;
        b.slRank = slRank;
        b.slAlpha = slAlpha;
        b.slDelta = slDelta;
        b.slSeed = slSeed;
        b.recomputeActivations = recomputeActivations;
        b.attentionBlock = attentionBlock;
        return b;
    }

    /**
     * The paper's sizes ({@code llama-60m}, {@code llama-130m}, {@code llama-350m}, {@code llama-1b},
     * {@code llama-7b}) with their SLTrain rank/alpha/delta (SLTrain off; turn on with
     * {@code toBuilder().sltrain(true)}), and {@code tiny}/{@code small} for tests and CPU demos.
     */
    public static LlamaConfig preset(String name, int vocabSize, int seqLen) {
        Builder b = builder().vocabSize(vocabSize).maxSeqLen(seqLen);
        switch (name.toLowerCase(Locale.ROOT)) {
            case "tiny" -> b.shape(64, 172, 2, 2).sltrainShape(16, 32, 0.03);
            case "small" -> b.shape(256, 688, 4, 4).sltrainShape(64, 32, 0.03);
            case "llama-60m" -> b.shape(512, 1376, 8, 8).sltrainShape(128, 32, 0.03);
            case "llama-130m" -> b.shape(768, 2048, 12, 12).sltrainShape(256, 16, 0.03);
            case "llama-350m" -> b.shape(1024, 2736, 16, 24).sltrainShape(256, 16, 0.03);
            case "llama-1b" -> b.shape(2048, 5461, 32, 24).sltrainShape(512, 8, 0.03);
            case "llama-7b" -> b.shape(4096, 11008, 32, 32).sltrainShape(1024, 8, 0.05);
            default -> throw new IllegalArgumentException("unknown model preset '" + name
                    + "' (known: tiny, small, llama-60m, llama-130m, llama-350m, llama-1b, llama-7b)");
        }
        return b.build();
    }

    /** Trainable parameters, from shapes only (SLTrain: B, A and the support values). */
    public long parameterCount() {
        long d = hidden, f = intermediate;
        long perLayer = 4 * linearCount(d, d) + 3 * linearCount(f, d) + 2 * d;
        return 2L * vocabSize * d + layers * perLayer + d;
    }

    /** Trainable values of one attention/MLP linear with {@code out} rows and {@code in} columns. */
    long linearCount(long out, long in) {
        return sltrain ? slRank * (out + in) + supportSize(out, in) : out * in;
    }

    /** floor(delta * m * n): the number of fixed sparse entries of an SLTrain linear. */
    long supportSize(long out, long in) {
        return (long) Math.floor(slDelta * out * in);
    }

    @Override
    public String toString() {
        return "LlamaConfig{hidden=" + hidden + ", intermediate=" + intermediate + ", heads=" + heads
                + ", layers=" + layers + ", vocab=" + vocabSize + ", maxSeqLen=" + maxSeqLen
                + ", rmsEps=" + rmsEps + ", ropeBase=" + ropeBase
                + (sltrain ? ", sltrain{rank=" + slRank + ", alpha=" + slAlpha + ", delta=" + slDelta
                        + ", seed=" + slSeed + "}" : "")
                + (recomputeActivations ? ", recompute" : "")
                + (attentionBlock != Builder.ATTENTION_BLOCK ? ", attentionBlock=" + attentionBlock : "") + "}";
    }

    public static final class Builder {
        private int hidden = 64, intermediate = 172, heads = 2, layers = 2, vocabSize = 256, maxSeqLen = 256;
        private double rmsEps = 1e-6, ropeBase = 10000;
        private boolean sltrain;
        private int slRank = 16;
        private double slAlpha = 32, slDelta = 0.03;
        private long slSeed = 42;
        private boolean recomputeActivations;
        /** 64 queries: 4 blocks at T = 256 compute 62.5 % of the full score matrix (BENCHMARKS.md). */
        static final int ATTENTION_BLOCK = 64;
        private int attentionBlock = ATTENTION_BLOCK;

        public Builder shape(int hidden, int intermediate, int heads, int layers) {
            this.hidden = hidden;
            this.intermediate = intermediate;
            this.heads = heads;
            this.layers = layers;
            return this;
        }

        public Builder sltrainShape(int rank, double alpha, double delta) {
            this.slRank = rank;
            this.slAlpha = alpha;
            this.slDelta = delta;
            return this;
        }

        public Builder hidden(int v) { hidden = v; return this; }
        public Builder intermediate(int v) { intermediate = v; return this; }
        public Builder heads(int v) { heads = v; return this; }
        public Builder layers(int v) { layers = v; return this; }
        public Builder vocabSize(int v) { vocabSize = v; return this; }
        public Builder maxSeqLen(int v) { maxSeqLen = v; return this; }
        public Builder rmsEps(double v) { rmsEps = v; return this; }
        public Builder ropeBase(double v) { ropeBase = v; return this; }
        public Builder sltrain(boolean v) { sltrain = v; return this; }
        public Builder slRank(int v) { slRank = v; return this; }
        public Builder slAlpha(double v) { slAlpha = v; return this; }
        public Builder slDelta(double v) { slDelta = v; return this; }
        public Builder slSeed(long v) { slSeed = v; return this; }
        public Builder recomputeActivations(boolean v) { recomputeActivations = v; return this; }
        public Builder attentionBlock(int v) { attentionBlock = v; return this; }

        public LlamaConfig build() {
            return new LlamaConfig(this);
        }
    }
}
