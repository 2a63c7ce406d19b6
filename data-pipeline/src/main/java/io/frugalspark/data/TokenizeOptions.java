package io.frugalspark.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/** Immutable settings of one tokenize run; build with {@link #builder()}. */
public final class TokenizeOptions implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String input;
    private final InputFormat format;
    private final String textColumn;
    private final String output;
    private final String tokenizer;
    private final int vocabSize;
    private final int seqLen;
    private final SequenceMode mode;
    private final double validationFraction;
    private final long bpeSampleBytes;
    private final OnError onError;
    private final double maxBadLineFraction;
    private final int partitions;
    private final long seed;
    private final boolean overwrite;
    private final String resolvedConfigJson;

    private TokenizeOptions(Builder b) {
        input = Objects.requireNonNull(b.input, "input");
        output = Objects.requireNonNull(b.output, "output");
        format = b.format;
        textColumn = b.textColumn == null || b.textColumn.isBlank() ? format.defaultTextColumn() : b.textColumn;
        tokenizer = b.tokenizer;
        vocabSize = b.vocabSize;
        seqLen = b.seqLen;
        mode = b.mode;
        validationFraction = b.validationFraction;
        bpeSampleBytes = b.bpeSampleBytes;
        onError = b.onError;
        maxBadLineFraction = b.maxBadLineFraction;
        partitions = b.partitions;
        seed = b.seed;
        overwrite = b.overwrite;
        resolvedConfigJson = b.resolvedConfigJson;
        check(seqLen >= 2, "seq_len must be at least 2, got " + seqLen);
        check(validationFraction >= 0 && validationFraction < 1, "validation_fraction must be in [0, 1), got " + validationFraction);
        check(maxBadLineFraction >= 0 && maxBadLineFraction <= 1, "max_bad_line_fraction must be in [0, 1], got " + maxBadLineFraction);
        check(partitions >= 0, "partitions must be >= 0, got " + partitions);
        check(!tokenizer.equals("bpe") || vocabSize >= 256 + 3 + 1, "vocab_size for bpe must exceed 259 (256 bytes + BOS/EOS/PAD), got " + vocabSize);
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().input(input).format(format).textColumn(textColumn).output(output).tokenizer(tokenizer)
                .vocabSize(vocabSize).seqLen(seqLen).mode(mode).validationFraction(validationFraction)
                .bpeSampleBytes(bpeSampleBytes).onError(onError).maxBadLineFraction(maxBadLineFraction).partitions(partitions).seed(seed)
                .overwrite(overwrite).resolvedConfigJson(resolvedConfigJson);
    }

    public String input() { return input; }
    public InputFormat format() { return format; }
    public String textColumn() { return textColumn; }
    public String output() { return output; }
    /** "bpe" (trained here), a jtokkit encoding name, or a path to a .tiktoken rank file or a Hugging Face tokenizer.json. */
    public String tokenizer() { return tokenizer; }
    public int vocabSize() { return vocabSize; }
    public int seqLen() { return seqLen; }
    public SequenceMode mode() { return mode; }
    public double validationFraction() { return validationFraction; }
    public long bpeSampleBytes() { return bpeSampleBytes; }
    public OnError onError() { return onError; }
    /** The share of a JSON lines file's records that may be skipped as unusable before the file is an error (1 = never). */
    public double maxBadLineFraction() { return maxBadLineFraction; }
    /** 0 = one Spark partition per input file. */
    public int partitions() { return partitions; }
    public long seed() { return seed; }
    public boolean overwrite() { return overwrite; }
    /** The caller's resolved configuration as JSON, stored in the manifest; may be null. */
    public String resolvedConfigJson() { return resolvedConfigJson; }

    /**
     * The settings that decide the output bytes, as canonical JSON. Partitions, on_error,
     * max_bad_line_fraction and overwrite are left out: they never change a shard (they decide only
     * whether a file fails), so a retry may differ in them and still resume.
     */
    public ObjectNode identity() {
        ObjectNode n = JSON.createObjectNode();
        n.put("input", input).put("format", format.name().toLowerCase()).put("text_column", textColumn)
                .put("tokenizer", tokenizer).put("vocab_size", tokenizer.equals("bpe") ? vocabSize : 0)
                .put("seq_len", seqLen).put("mode", mode.label()).put("validation_fraction", validationFraction)
                .put("bpe_sample_bytes", tokenizer.equals("bpe") ? bpeSampleBytes : 0).put("seed", seed);
        return n;
    }

    /** SHA-256 of {@link #identity()}: equal hashes mean byte-identical outputs. */
    public String configHash() {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(identity().toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Mutable builder with the defaults of frugal-defaults.conf. */
    public static final class Builder {
        private String input;
        private InputFormat format = InputFormat.C4;
        private String textColumn;
        private String output;
        private String tokenizer = "bpe";
        private int vocabSize = 32000;
        private int seqLen = 256;
        private SequenceMode mode = SequenceMode.PACK;
        private double validationFraction = 0.01;
        private long bpeSampleBytes = 20_000_000L;
        private OnError onError = OnError.FAIL;
        private double maxBadLineFraction = 0.01;
        private int partitions;
        private long seed = 1234;
        private boolean overwrite;
        private String resolvedConfigJson;

        public Builder input(String v) { input = v; return this; }
        public Builder format(InputFormat v) { format = Objects.requireNonNull(v); return this; }
        public Builder textColumn(String v) { textColumn = v; return this; }
        public Builder output(String v) { output = v; return this; }
        public Builder tokenizer(String v) { tokenizer = Objects.requireNonNull(v); return this; }
        public Builder vocabSize(int v) { vocabSize = v; return this; }
        public Builder seqLen(int v) { seqLen = v; return this; }
        public Builder mode(SequenceMode v) { mode = Objects.requireNonNull(v); return this; }
        public Builder validationFraction(double v) { validationFraction = v; return this; }
        public Builder bpeSampleBytes(long v) { bpeSampleBytes = v; return this; }
        public Builder onError(OnError v) { onError = Objects.requireNonNull(v); return this; }
        public Builder maxBadLineFraction(double v) { maxBadLineFraction = v; return this; }
        public Builder partitions(int v) { partitions = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder overwrite(boolean v) { overwrite = v; return this; }
        public Builder resolvedConfigJson(String v) { resolvedConfigJson = v; return this; }

        public TokenizeOptions build() {
            return new TokenizeOptions(this);
        }
    }
}
