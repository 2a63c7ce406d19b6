package io.frugalspark.optim.bench;

import io.frugalspark.optim.Llama60M;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The bandwidth bound of {@link StepBenchmark}'s AdamW: a {@link Triad} over as many bytes as one AdamW step
 * over the 60M LLaMA moves at least (28 bytes a parameter: 1.63 GB, three float arrays of 135.5M elements).
 * Its time is the bound itself; GB/s = {@code 12 * elements / time}. {@code -p elements=N} sizes it by hand.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgs = {"-Xmx4g"})
public class TriadBenchmark {
    /** 0: the bytes of an AdamW step over {@link Llama60M}. */
    @Param({"0"})
    public long elements;

    @Param({"2"})
    public int threads;

    private float[] a;
    private float[] b;
    private float[] c;
    private ExecutorService pool;

    @Setup(Level.Trial)
    public void setUp() {
        long n = elements > 0 ? elements : Triad.elementsForAdamW(Llama60M.parameterCount());
        a = new float[Math.toIntExact(n)];
        b = new float[a.length];
        c = new float[a.length];
        Arrays.fill(b, 1f);
        Arrays.fill(c, 2f);
        pool = Executors.newFixedThreadPool(Math.max(1, threads - 1));
        Triad.run(a, b, c, 3f, threads, pool);
        System.out.printf("triad: %d elements, %d bytes an op, %d threads%n", n, n * Triad.BYTES_PER_ELEMENT, threads);
    }

    @Benchmark
    public float[] triad() {
        Triad.run(a, b, c, 3f, threads, pool);
        return a;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.shutdownNow();
    }
}
