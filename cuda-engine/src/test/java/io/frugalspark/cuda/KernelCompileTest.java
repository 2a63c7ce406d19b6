package io.frugalspark.cuda;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * CI's guarantee that the GPU path compiles: every kernel through NVRTC for every target architecture,
 * within registers, spills and shared memory. Nothing here skips: without NVRTC the tests fail.
 */
class KernelCompileTest {

    @BeforeAll
    static void driver() throws Exception {
        DriverStub.ensureDriverLoadable();
    }

    @Test
    void nvrtcIs13() {
        assertTrue(Nvrtc.version().startsWith("13."), Nvrtc.version());
    }

    @Test
    void everyKernelCompilesForEveryTargetWithinLimits() throws Exception {
        // NVRTC is thread-safe: compiling on every core keeps this test short on a 2-core CI machine.
        List<Cubin> cubins = ComputeCapability.COMPILE_TARGETS.stream()
                .flatMap(arch -> Arrays.stream(KernelSource.values()).map(source -> Map.entry(source, arch)))
                .parallel().map(e -> Nvrtc.compile(e.getKey(), e.getValue())).toList();
        List<String> violations = new ArrayList<>();
        StringBuilder table = new StringBuilder("source:kernel arch registers shared_bytes stack_bytes spill_st spill_ld\n");
        int kernels = 0;
        for (Cubin cubin : cubins) {
            assertTrue(cubin.image().length > 0, cubin.source() + " " + cubin.arch());
            violations.addAll(cubin.violations());
            for (Map.Entry<String, KernelResources> e : cubin.kernels().entrySet()) {
                KernelResources r = e.getValue();
                table.append(cubin.source().file()).append(':').append(e.getKey()).append(' ').append(cubin.arch().sm()).append(' ')
                        .append(r.registers()).append(' ').append(r.sharedBytes()).append(' ').append(r.stackBytes())
                        .append(' ').append(r.spillStoreBytes()).append(' ').append(r.spillLoadBytes()).append('\n');
                kernels++;
            }
        }
        Path report = Path.of("target", "kernel-resources.txt");
        Files.createDirectories(report.getParent());
        Files.writeString(report, table);
        System.out.print(table);
        assertEquals(totalKernels() * ComputeCapability.COMPILE_TARGETS.size(), kernels);
        assertEquals(List.of(), violations);
    }

    @Test
    void aSyntaxErrorNamesTheSourceAndCarriesTheLog() {
        String broken = KernelSource.ADAMW.text().replace("float g = grad[i];", "float g = grad[i]");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Nvrtc.compile(KernelSource.ADAMW, broken, ComputeCapability.parse("sm_90")));
        assertTrue(e.getMessage().contains("adamw.cu") && e.getMessage().contains("sm_90"), e.getMessage());
        assertTrue(e.getMessage().contains("error"), e.getMessage());
    }

    @Test
    void tooMuchStaticSharedMemoryFailsTheCompile() {
        // Doubling attention's tile width asks dq/dkdv for over 80 KB of static shared memory.
        String greedy = KernelSource.ATTENTION.text().replace("#define MAX_HEAD_DIM 128", "#define MAX_HEAD_DIM 256");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Nvrtc.compile(KernelSource.ATTENTION, greedy, ComputeCapability.parse("sm_86")));
        assertTrue(e.getMessage().contains("attention.cu") && e.getMessage().contains("shared"), e.getMessage());
    }

    @Test
    void aKernelThatNeedsLocalMemoryIsAViolation() {
        // A volatile per-thread array indexed at run time cannot live in registers: ptxas gives it a stack frame.
        String local = KernelSource.STATE_FREE.text().replace("param[i] = param[i] * decay - lr * u;",
                "volatile float t[64];\n        t[i & 63] = g;\n        param[i] = param[i] * decay - lr * (u + t[rule & 63]);");
        Cubin cubin = Nvrtc.compile(KernelSource.STATE_FREE, local, ComputeCapability.parse("sm_90"));
        assertTrue(cubin.resources("state_free_step").stackBytes() > 0, cubin.log());
        assertEquals(1, cubin.violations().size(), cubin.violations().toString());
        assertTrue(cubin.violations().get(0).contains("local memory"), cubin.violations().toString());
    }

    /** CI has no cuBLAS (cuda-redist leaves it out): the check must then name the library, not die of a LinkageError. */
    @Test
    void cublasVersionOrAnErrorNamingTheLibrary() {
        try {
            assertTrue(Gemm.version().startsWith("13."), Gemm.version());
        } catch (IllegalStateException e) {
            assertTrue(e.getMessage().contains("libcublas.so.13"), e.getMessage());
        }
    }

    @Test
    void compiledOncePerProcess() {
        ComputeCapability sm80 = ComputeCapability.parse("8.0");
        assertSame(Nvrtc.compile(KernelSource.SWIGLU, sm80), Nvrtc.compile(KernelSource.SWIGLU, sm80));
    }

    private static int totalKernels() {
        int n = 0;
        for (KernelSource s : KernelSource.values()) n += s.kernels().size();
        return n;
    }
}
