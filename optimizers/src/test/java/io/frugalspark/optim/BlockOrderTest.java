package io.frugalspark.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.frugalspark.optim.select.BlockSelector;
import io.frugalspark.optim.select.BlockSelector.Order;
import io.frugalspark.optim.select.Density;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Block orders of ALGORITHMS.md section 6, written out by hand. */
class BlockOrderTest {

    private static int[][] sequence(Order order, int n, int k, int times) {
        BlockSelector s = new BlockSelector(order);
        int[][] out = new int[times][];
        for (int t = 0; t < times; t++) {
            boolean[] a = s.activate(n, k, new SplittableRandom(t));
            out[t] = IntStream.range(0, n).filter(i -> a[i]).toArray();
        }
        return out;
    }

    @Test
    void ascendingWrapsAroundTheGroup() {
        assertArrayEquals(new int[][] {{0, 1}, {2, 3}, {4, 5}, {0, 6}, {1, 2}}, sequence(Order.ASCENDING, 7, 2, 5));
    }

    @Test
    void descendingStartsWithTheLastTensors() {
        assertArrayEquals(new int[][] {{5, 6}, {3, 4}, {1, 2}, {0, 6}, {4, 5}}, sequence(Order.DESCENDING, 7, 2, 5));
    }

    @Test
    void descendingWithQuarterDensityTakesWholeLayersLastFirst() {
        // 8 layers x 7 tensors, rho 0.25: 14 tensors = layers 7 and 6, then 5 and 4, ...
        int k = new Density(0.25, false).blocks(56);
        int[][] seq = sequence(Order.DESCENDING, 56, k, 5);
        assertArrayEquals(IntStream.range(42, 56).toArray(), seq[0]);
        assertArrayEquals(IntStream.range(28, 42).toArray(), seq[1]);
        assertArrayEquals(IntStream.range(0, 14).toArray(), seq[3]);
        assertArrayEquals(seq[0], seq[4]);
    }

    @Test
    void mirrorPairsBothEndsWithEvenK() {
        assertArrayEquals(new int[][] {{0, 1, 6, 7}, {2, 3, 4, 5}, {0, 1, 6, 7}}, sequence(Order.MIRROR, 8, 4, 3));
        assertArrayEquals(new int[][] {{0, 9}, {1, 8}, {2, 7}, {3, 6}, {4, 5}, {0, 9}}, sequence(Order.MIRROR, 10, 2, 6));
        assertThrows(IllegalArgumentException.class, () -> sequence(Order.MIRROR, 8, 3, 1));
    }

    @Test
    void randomDrawsKDistinctBlocksReproduciblyFromTheSeed() {
        int[][] a = sequence(Order.RANDOM, 20, 5, 4);
        int[][] b = sequence(Order.RANDOM, 20, 5, 4);
        assertArrayEquals(a, b);
        Arrays.stream(a).forEach(sel -> assertEquals(5, sel.length));
        assertEquals(4, Arrays.stream(a).map(Arrays::toString).distinct().count());
    }

    @Test
    void densityRoundsLikeTheReference() {
        assertEquals(2, new Density(0.5, false).rank(5)); // round(2.5) = 2, half to even
        assertEquals(4, new Density(0.5, false).rank(7)); // round(3.5) = 4
        assertEquals(2, new Density(0.5, false).coordinates(5)); // int(2.5): truncation
        assertEquals(14, new Density(0.2499, false).blocks(56)); // round(13.99)
        assertEquals(13, new Density(0.2499, true).blocks(56)); // floor once a controller updated rho
    }
}
