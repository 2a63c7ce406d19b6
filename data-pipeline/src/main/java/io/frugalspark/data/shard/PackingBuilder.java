package io.frugalspark.data.shard;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Packing: documents joined with EOS and cut into seq_len pieces. Only the last sequence of an
 * input file is padded, so shards depend on nothing but their own input file.
 */
final class PackingBuilder implements SequenceBuilder {
    private final int eosId;
    private final int padId;
    private final int[] buf;
    private int fill;

    PackingBuilder(int seqLen, int eosId, int padId) {
        this.eosId = eosId;
        this.padId = padId;
        this.buf = new int[seqLen];
    }

    @Override
    public void add(int[] document, Consumer<int[]> emit) {
        int i = 0;
        while (i < document.length) {
            int n = Math.min(buf.length - fill, document.length - i);
            System.arraycopy(document, i, buf, fill, n);
            fill += n;
            i += n;
            flushIfFull(emit);
        }
        buf[fill++] = eosId;
        flushIfFull(emit);
    }

    private void flushIfFull(Consumer<int[]> emit) {
        if (fill == buf.length) {
            emit.accept(buf.clone());
            fill = 0;
        }
    }

    @Override
    public void finish(Consumer<int[]> emit) {
        if (fill > 0) {
            Arrays.fill(buf, fill, buf.length, padId);
            emit.accept(buf.clone());
            fill = 0;
        }
    }
}
