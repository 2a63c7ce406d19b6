package io.frugalspark.job.train;

import java.io.Serializable;

/**
 * The key of one piece of a round's results: what it holds and its position among pieces of that
 * kind. Ordered by kind, then index, so merged results come out in model and state order.
 */
record ChunkKey(Kind kind, int index) implements Comparable<ChunkKey>, Serializable {
    /** What a piece holds, and so how the workers' pieces of one key are merged. */
    enum Kind {
        /** Trainable parameters (averaged). */
        PARAMETER,
        /** The optimizer state's counters and selections (identical on every replica: worker 0's is kept). */
        STATE_HEAD,
        /** Optimizer moments (averaged). */
        MOMENTS,
        /** The workers' reports (kept, in worker order). */
        REPORTS
    }

    static final ChunkKey REPORTS = new ChunkKey(Kind.REPORTS, 0);

    @Override
    public int compareTo(ChunkKey o) {
        int byKind = kind.compareTo(o.kind);
        return byKind != 0 ? byKind : Integer.compare(index, o.index);
    }

    /** Stable across JVMs (an enum's own hash is not), so every executor partitions a key alike. */
    @Override
    public int hashCode() {
        return kind.ordinal() * 1_000_003 + index;
    }
}
