package io.frugalspark.data.shard;

import java.util.Arrays;
import java.util.function.Consumer;

/** The papers' mode: one document per sequence, truncated to seq_len - 1 tokens, then EOS, then PAD. */
final class DocumentBuilder implements SequenceBuilder {
    private final int seqLen;
    private final int eosId;
    private final int padId;

    DocumentBuilder(int seqLen, int eosId, int padId) {
        this.seqLen = seqLen;
        this.eosId = eosId;
        this.padId = padId;
    }

    @Override
    public void add(int[] document, Consumer<int[]> emit) {
        int[] seq = new int[seqLen];
        int n = Math.min(document.length, seqLen - 1);
        System.arraycopy(document, 0, seq, 0, n);
        seq[n] = eosId;
        Arrays.fill(seq, n + 1, seqLen, padId);
        emit.accept(seq);
    }

    @Override
    public void finish(Consumer<int[]> emit) {
        // nothing is held back
    }
}
