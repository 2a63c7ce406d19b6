package io.frugalspark.optim.select;

import java.util.SplittableRandom;

/** Seeded random permutations (Fisher-Yates); the first k entries form a random k-subset in drawn order. */
public final class Permutation {
    private Permutation() {
    }

    public static int[] draw(int n, SplittableRandom rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    static int[] firstK(int n, int k, SplittableRandom rng) {
        return java.util.Arrays.copyOf(draw(n, rng), k);
    }
}
