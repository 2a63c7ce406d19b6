package io.frugalspark.optim.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * STREAM's triad {@code a[i] = b[i] + s * c[i]} on float arrays, split into one contiguous slice per
 * thread (OpenMP's static schedule): the memory-bandwidth bound an element-wise optimizer step is
 * compared with. It moves 12 bytes an element (two reads, one write; write-allocate not counted, as
 * STREAM counts).
 */
public final class Triad {
    /** Bytes an AdamW step must move per parameter at least: reads g, m, v, p and writes m, v, p, float32. */
    public static final int ADAMW_BYTES_PER_PARAMETER = 7 * Float.BYTES;
    public static final int BYTES_PER_ELEMENT = 3 * Float.BYTES;

    private Triad() {
    }

    /** Triad elements that move the bytes of an AdamW step over {@code parameters} (rounded up). */
    public static long elementsForAdamW(long parameters) {
        long bytes = parameters * ADAMW_BYTES_PER_PARAMETER;
        return (bytes + BYTES_PER_ELEMENT - 1) / BYTES_PER_ELEMENT;
    }

    /** One triad over the whole arrays: slices 1..threads-1 on {@code pool}, slice 0 on the calling thread. */
    public static void run(float[] a, float[] b, float[] c, float s, int threads, ExecutorService pool) {
        int n = a.length;
        if (b.length != n || c.length != n) {
            throw new IllegalArgumentException("arrays of different lengths: " + n + ", " + b.length + ", " + c.length);
        }
        List<Future<?>> others = new ArrayList<>();
        for (int t = 1; t < threads; t++) {
            int from = slice(n, threads, t), to = slice(n, threads, t + 1);
            others.add(pool.submit(() -> kernel(a, b, c, s, from, to)));
        }
        kernel(a, b, c, s, 0, slice(n, threads, 1));
        try {
            for (Future<?> f : others) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    static int slice(int n, int threads, int t) {
        return (int) ((long) n * t / threads);
    }

    private static void kernel(float[] a, float[] b, float[] c, float s, int from, int to) {
        for (int i = from; i < to; i++) { // C2 vectorises this loop
            a[i] = b[i] + s * c[i];
        }
    }
}
