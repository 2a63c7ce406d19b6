package io.frugalspark.job.train;

import java.io.Serializable;
import io.frugalspark.optim.select.Permutation;
import java.util.SplittableRandom;

/**
 * Which stored sequences a worker trains on: a pure function of (seed, step, worker, micro-batch).
 * Worker w of W owns the sequences with {@code index % W == w}; it walks a fresh seeded permutation
 * of them each epoch, so data is seen without replacement and any step can be reproduced (the
 * data cursor of a checkpoint is just the step).
 */
public final class SequenceSampler implements Serializable {
    private final int workers;
    private final int worker;
    private final long seed;
    private final int owned;
    private transient long cachedEpoch;
    private transient int[] cachedPerm;

    public SequenceSampler(long total, int workers, int worker, long seed) {
        if (total < workers) {
            throw new IllegalArgumentException("only " + total + " training sequences for " + workers
                    + " workers: tokenize more text or use fewer workers");
        }
        this.workers = workers;
        this.worker = worker;
        this.seed = seed;
        this.owned = (int) ((total - worker + workers - 1) / workers);
    }

    /** Global sequence indices of micro-batch {@code micro} of optimizer step {@code step}. */
    public long[] indices(long step, int micro, int microBatch, int accumulation) {
        long[] out = new long[microBatch];
        long start = (step * accumulation + micro) * (long) microBatch;
        for (int q = 0; q < microBatch; q++) {
            long pos = start + q;
            int local = permutation(pos / owned)[(int) (pos % owned)];
            out[q] = (long) local * workers + worker;
        }
        return out;
    }

    private int[] permutation(long epoch) {
        if (cachedPerm == null || epoch != cachedEpoch) {
            cachedPerm = Permutation.draw(owned, new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ (epoch * 1_000_003L + worker)));
            cachedEpoch = epoch;
        }
        return cachedPerm;
    }
}
