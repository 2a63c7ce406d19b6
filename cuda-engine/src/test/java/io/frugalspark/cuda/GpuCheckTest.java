package io.frugalspark.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The check's no-GPU path runs in scripts/build-gpu-bundle.sh --check, in a JVM of its own: this test
 * JVM may hold the compile tests' driver stub, on which any real driver call would abort the process.
 */
class GpuCheckTest {

    @Test
    void unknownArgumentsAreAUsageErrorBeforeAnyLibraryLoads() {
        assertEquals(GpuCheck.USAGE, GpuCheck.run(new String[] {"--devices", "0"}));
        assertEquals(GpuCheck.USAGE, GpuCheck.run(new String[] {"extra"}));
        assertEquals(GpuCheck.USAGE, GpuCheck.run(new String[] {"--device", "x"}));
        assertEquals(GpuCheck.USAGE, GpuCheck.run(new String[] {"--device", "-1"}));
        assertEquals(GpuCheck.USAGE, GpuCheck.run(new String[] {"--device"}));
    }
}
