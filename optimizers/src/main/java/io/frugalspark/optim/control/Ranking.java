package io.frugalspark.optim.control;

import java.util.Arrays;

/** Block orders by a score, largest first; equal scores keep the lower block index first, so every run agrees. */
final class Ranking {
    private Ranking() {
    }

    static int[] descending(double[] score) {
        Integer[] order = new Integer[score.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> {
            int c = Double.compare(score[b], score[a]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        return Arrays.stream(order).mapToInt(Integer::intValue).toArray();
    }
}
