package io.frugalspark.optim;

import java.util.SplittableRandom;

/** Independent random streams per (seed, re-selection index), the same in every process. */
public final class Seeds {
    private Seeds() {
    }

    public static SplittableRandom stream(long seed, long index) {
        return new SplittableRandom(mix(mix(seed) + index));
    }

    /** MurmurHash3's 64-bit finaliser: nearby inputs give unrelated seeds. */
    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }
}
