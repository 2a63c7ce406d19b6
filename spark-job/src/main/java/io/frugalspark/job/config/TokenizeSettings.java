package io.frugalspark.job.config;

import io.frugalspark.data.InputFormat;
import io.frugalspark.data.OnError;
import io.frugalspark.data.SequenceMode;
import io.frugalspark.data.TokenizeOptions;

/** The {@code data} section of a configuration as the pipeline's {@link TokenizeOptions}. */
public final class TokenizeSettings {
    private TokenizeSettings() {}

    /**
     * @param onError overrides {@code data.on_error} when not null (the CLI's --on-error)
     * @param overwrite replace an output written with a different config (the CLI's --overwrite)
     */
    public static TokenizeOptions from(FrugalConfig c, String onError, boolean overwrite) {
        try {
            String tokenizer = c.getString("data.tokenizer");
            return TokenizeOptions.builder()
                    .input(c.getPath("data.input"))
                    .output(c.getPath("data.output"))
                    .format(InputFormat.parse(c.getString("data.format")))
                    .textColumn(c.getString("data.text_column"))
                    .tokenizer(tokenizer.endsWith(".json") ? c.getPath("data.tokenizer") : tokenizer)
                    .vocabSize(c.getInt("data.vocab_size"))
                    .seqLen(c.getInt("data.seq_len"))
                    .mode(SequenceMode.parse(c.getString("data.mode")))
                    .validationFraction(c.getDouble("data.validation_fraction"))
                    .bpeSampleBytes(c.getLong("data.bpe_sample_bytes"))
                    .onError(OnError.parse(onError != null ? onError : c.getString("data.on_error")))
                    .maxBadLineFraction(c.getDouble("data.max_bad_line_fraction"))
                    .partitions(c.getInt("data.partitions"))
                    .seed(c.getLong("data.seed"))
                    .overwrite(overwrite)
                    .resolvedConfigJson(c.renderJson())
                    .build();
        } catch (IllegalArgumentException e) {
            throw new ConfigError(e.getMessage());
        }
    }
}
