package io.frugalspark.optim.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.frugalspark.optim.Llama60M;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class TriadTest {
    @Test
    void everyElementOfEverySliceIsWritten() {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int threads = 1; threads <= 3; threads++) {
                int n = 1001;
                float[] a = new float[n], b = new float[n], c = new float[n];
                for (int i = 0; i < n; i++) {
                    b[i] = i;
                    c[i] = 2 * i + 1;
                }
                Triad.run(a, b, c, 0.5f, threads, pool);
                for (int i = 0; i < n; i++) {
                    assertEquals(i + 0.5f * (2 * i + 1), a[i], 0f, "threads " + threads + ", element " + i);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void sizedToTheBytesOfAnAdamWStep() {
        assertEquals(58_073_600L, Llama60M.parameterCount());
        long n = Triad.elementsForAdamW(Llama60M.parameterCount());
        assertEquals(135_505_067L, n); // ceil(58,073,600 * 28 / 12)
        assertEquals(67_752_533, Triad.slice((int) n, 2, 1));
        assertEquals((int) n, Triad.slice((int) n, 2, 2));
    }
}
