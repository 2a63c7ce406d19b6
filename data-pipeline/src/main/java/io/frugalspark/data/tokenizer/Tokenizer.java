package io.frugalspark.data.tokenizer;

import io.frugalspark.data.Manifest;
import org.apache.hadoop.conf.Configuration;

/**
 * Text to ids and back. {@link #encode} never adds special tokens; {@link #decode} leaves BOS, EOS
 * and PAD out. For byte-level tokenizers decode(encode(x)) equals x for any text.
 */
public interface Tokenizer extends AutoCloseable {
    int[] encode(String text);

    String decode(int[] ids);

    /** Every id, BOS, EOS and PAD included: the embedding's row count. */
    int vocabSize();

    int bosId();

    int eosId();

    int padId();

    /** e.g. "bpe-32000", "o200k_base", "hf:tokenizer.json". */
    String name();

    @Override
    default void close() {}

    /** The tokenizer that wrote a complete output directory, from the files beside its shards. */
    static Tokenizer load(String outputUri, Configuration conf) {
        return TokenizerSpec.fromOutput(outputUri, Manifest.read(outputUri, conf).tokenizer(), conf).open();
    }

    static Tokenizer load(String outputUri) {
        return load(outputUri, new Configuration());
    }
}
