package io.frugalspark.data.shard;

import io.frugalspark.data.SequenceMode;
import java.util.function.Consumer;

/** Turns a stream of tokenized documents into fixed-length sequences. */
public interface SequenceBuilder {
    /** Adds one document's tokens (without specials); emits every sequence it completes. */
    void add(int[] document, Consumer<int[]> emit);

    /** Emits what is left (padded with PAD), if anything. */
    void finish(Consumer<int[]> emit);

    static SequenceBuilder of(SequenceMode mode, int seqLen, int eosId, int padId) {
        return mode == SequenceMode.PACK ? new PackingBuilder(seqLen, eosId, padId) : new DocumentBuilder(seqLen, eosId, padId);
    }
}
