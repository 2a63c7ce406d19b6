package io.frugalspark.job.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SequenceSamplerTest {
    @Test
    void workersPartitionTheDataAndSeeEachSequenceOncePerEpoch() {
        long total = 23;
        Set<Long> all = new HashSet<>();
        for (int w = 0; w < 3; w++) {
            SequenceSampler s = new SequenceSampler(total, 3, w, 9);
            int owned = (int) ((total - w + 2) / 3);
            Set<Long> epoch = new HashSet<>();
            for (int q = 0; q < owned; q++) {
                long i = s.indices(0, q, 1, owned)[0];
                assertEquals(w, i % 3, "worker " + w + " reads only its own sequences");
                assertTrue(epoch.add(i), "no sequence twice within an epoch");
            }
            all.addAll(epoch);
        }
        assertEquals(total, all.size(), "together the workers cover every sequence");
    }

    @Test
    void batchesAreAFunctionOfSeedStepWorkerAndMicroBatch() {
        SequenceSampler a = new SequenceSampler(1000, 2, 1, 5);
        SequenceSampler b = new SequenceSampler(1000, 2, 1, 5);
        assertArrayEquals(a.indices(7, 1, 4, 2), b.indices(7, 1, 4, 2));
        Set<Long> first = set(a.indices(7, 0, 4, 2));
        assertTrue(java.util.Collections.disjoint(first, set(a.indices(7, 1, 4, 2))), "micro-batches of a step are disjoint");
        assertNotEquals(first, set(a.indices(8, 0, 4, 2)), "another step reads other sequences");
        assertNotEquals(first, set(new SequenceSampler(1000, 2, 1, 6).indices(7, 0, 4, 2)), "another seed, another order");
        assertTrue(java.util.Collections.disjoint(first, set(new SequenceSampler(1000, 2, 0, 5).indices(7, 0, 4, 2))),
                "workers own disjoint sequences");
        assertThrows(IllegalArgumentException.class, () -> new SequenceSampler(1, 2, 0, 5));
    }

    private static Set<Long> set(long[] indices) {
        return java.util.Arrays.stream(indices).boxed().collect(java.util.stream.Collectors.toSet());
    }
}
