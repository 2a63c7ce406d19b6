package io.frugalspark.data.shard;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Batches of sequences over a worker's shards, in order, from a resumable {@link ShardCursor}.
 * With {@code cycle} it starts over at the first shard when all are read (epochs); otherwise the
 * last batch may be short. {@link #cursor()} after a batch resumes right after it.
 */
public final class TokenBatchIterator implements Iterator<int[][]> {
    private final TokenShards shards;
    private final int batchSize;
    private final boolean cycle;
    private int shard;
    private long offset;

    public TokenBatchIterator(TokenShards shards, int batchSize, ShardCursor from, boolean cycle) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
        if (from.shard() > shards.numShards() || (from.shard() < shards.numShards() && from.offset() > shards.shard(from.shard()).count())) {
            throw new IllegalArgumentException("cursor " + from + " is outside these " + shards.numShards() + " shards");
        }
        if (cycle && shards.numSequences() == 0) {
            throw new IllegalArgumentException("cannot cycle over shards without sequences");
        }
        this.shards = shards;
        this.batchSize = batchSize;
        this.cycle = cycle;
        this.shard = from.shard();
        this.offset = from.offset();
        skipExhausted();
    }

    private void skipExhausted() {
        while (true) {
            while (shard < shards.numShards() && offset >= shards.shard(shard).count()) {
                shard++;
                offset = 0;
            }
            if (shard < shards.numShards() || !cycle) {
                return;
            }
            shard = 0;
            offset = 0;
        }
    }

    public ShardCursor cursor() {
        return new ShardCursor(shard, offset);
    }

    @Override
    public boolean hasNext() {
        return shard < shards.numShards();
    }

    @Override
    public int[][] next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        int[][] batch = new int[batchSize][];
        int n = 0;
        while (n < batchSize && hasNext()) {
            batch[n++] = shards.shard(shard).sequence(offset++);
            skipExhausted();
        }
        return n == batchSize ? batch : java.util.Arrays.copyOf(batch, n);
    }
}
