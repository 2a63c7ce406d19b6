package io.frugalspark.optim.bench;

import io.frugalspark.optim.Frugal;
import io.frugalspark.optim.Llama60M;
import io.frugalspark.optim.ParamRef;
import io.frugalspark.optim.Presets;
import io.frugalspark.optim.StepStats;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
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
 * One optimizer step over the 60M LLaMA's tensors in float32 (gradients fixed, as the step's cost
 * does not depend on their values). Compare with src/test/python/adamw_step_bench.py (torch AdamW).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgs = {"-Xmx4g", "-Dorg.bytedeco.javacpp.maxbytes=6G", "-Dorg.bytedeco.javacpp.maxphysicalbytes=10G"})
public class StepBenchmark {
    @Param({"adamw", "frugal", "sinkgd"})
    public String preset;

    private List<ParamRef> params;
    private Frugal optimizer;

    @Setup(Level.Trial)
    public void setUp() {
        params = Llama60M.params(DataType.FLOAT, 7);
        optimizer = Presets.create(preset, 0, 1, null, null);
        optimizer.step(params, 1e-6); // allocate state and work buffers outside the measurement
    }

    @Benchmark
    public StepStats step() {
        return optimizer.step(params, 1e-6);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        optimizer.close();
        params.forEach(p -> {
            p.param().close();
            p.grad().close();
        });
    }
}
