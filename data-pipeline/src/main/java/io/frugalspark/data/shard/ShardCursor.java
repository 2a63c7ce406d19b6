package io.frugalspark.data.shard;

import java.io.Serializable;

/**
 * Where a {@link TokenBatchIterator} stands: the next sequence to read is {@code offset} of shard
 * {@code shard} (index within the iterator's shard list). Goes into checkpoints.
 */
public record ShardCursor(int shard, long offset) implements Serializable {
    public static final ShardCursor START = new ShardCursor(0, 0);

    public ShardCursor {
        if (shard < 0 || offset < 0) {
            throw new IllegalArgumentException("cursor must be non-negative: " + shard + "/" + offset);
        }
    }

    /** "shard:offset", the checkpoint form. */
    @Override
    public String toString() {
        return shard + ":" + offset;
    }

    public static ShardCursor parse(String s) {
        int c = s.indexOf(':');
        if (c <= 0) {
            throw new IllegalArgumentException("cursor must look like shard:offset, got '" + s + "'");
        }
        return new ShardCursor(Integer.parseInt(s.substring(0, c)), Long.parseLong(s.substring(c + 1)));
    }
}
