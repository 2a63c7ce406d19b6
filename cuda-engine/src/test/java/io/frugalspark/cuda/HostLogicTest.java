package io.frugalspark.cuda;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The engine's plans and layouts, which need no GPU. */
class HostLogicTest {

    static final LlamaShape LLAMA_60M = new LlamaShape(32000, 512, 1376, 8, 8);
    static final LlamaShape LLAMA_130M = new LlamaShape(32000, 768, 2048, 12, 12);

    @Test
    void parameterCountsMatchThePublishedTable() {
        assertEquals(58.07e6, LLAMA_60M.parameters(), 0.005e6);
        assertEquals(134.11e6, LLAMA_130M.parameters(), 0.005e6);
        assertEquals(LLAMA_130M.parameters() - 32000L * 768, LLAMA_130M.nonEmbeddingParameters());
        List<String> names = LLAMA_60M.tensors().stream().map(TensorSpec::name).toList();
        assertEquals(List.of("model.embed_tokens.weight", "model.layers.0.input_layernorm.weight", "model.layers.0.self_attn.q_proj.weight"),
                names.subList(0, 3));
        assertEquals("model.layers.0.mlp.down_proj.weight", names.get(8));
        assertEquals("lm_head.weight", names.get(names.size() - 1));
        assertEquals(8 * 7, LLAMA_60M.tensors().stream().filter(TensorSpec::projectable).count());
    }

    @Test
    void arenaOffsetsAreAlignedDisjointAndInOrder() {
        List<TensorSpec> tensors = LLAMA_60M.tensors();
        ArenaLayout layout = new ArenaLayout(tensors);
        long end = 0;
        for (TensorSpec t : tensors) {
            long off = layout.offset(t.name());
            assertEquals(0, off * Float.BYTES % ArenaLayout.ALIGN_BYTES, t.name());
            assertTrue(off >= end, t.name());
            end = off + t.elements();
        }
        assertTrue(layout.totalElements() >= end && layout.totalElements() - end < 64);
        // norms (512 floats) need no padding; a 3-element tensor is padded to 64 floats
        ArenaLayout odd = new ArenaLayout(List.of(new TensorSpec("a", TensorSpec.Role.NORM, 1, 3), new TensorSpec("b", TensorSpec.Role.NORM, 1, 5)));
        assertEquals(64, odd.offset("b"));
        assertArrayEquals(new long[] {0, 64, 69}, odd.statsOffsets());
        assertThrows(IllegalArgumentException.class, () -> new ArenaLayout(List.of(tensors.get(0), tensors.get(0))));
        assertThrows(IllegalArgumentException.class, () -> layout.offset("nope"));
    }

    @Test
    void momentSlotsHoldRegularTensorsAndTheActiveBlocksOnly() {
        List<TensorSpec> tensors = LLAMA_130M.tensors();
        List<String> projectable = tensors.stream().filter(TensorSpec::projectable).map(TensorSpec::name).toList();
        int k = (int) Math.round(projectable.size() * 0.25);                 // 21 of 84: three whole layers
        MomentSlots slots = new MomentSlots(tensors, k);
        List<String> lastThreeLayers = projectable.subList(projectable.size() - k, projectable.size());
        assertTrue(slots.select(lastThreeLayers));
        assertFalse(slots.select(lastThreeLayers), "same set: no re-pack, no reset");
        assertTrue(slots.hasMoments("lm_head.weight") && slots.hasMoments("model.norm.weight"));
        assertTrue(slots.hasMoments(lastThreeLayers.get(0)));
        assertFalse(slots.hasMoments(projectable.get(0)));
        // ALGORITHMS.md section 12: block rho 0.25 on 130M keeps 0.52 GiB of moments
        assertEquals(0.52, 2.0 * slots.usedElements() * Float.BYTES / (1L << 30), 0.005);
        assertTrue(slots.capacityElements() >= slots.usedElements());
        List<String> largest = projectable.stream().filter(n -> n.contains("mlp")).limit(k).toList();
        assertTrue(slots.select(largest), "the worst case still fits the arena allocated once");
        assertThrows(IllegalArgumentException.class, () -> slots.select(projectable.subList(0, k + 1)));
        assertThrows(IllegalArgumentException.class, () -> slots.select(List.of("lm_head.weight")));
        MomentSlots rho0 = new MomentSlots(tensors, 0);
        assertEquals(0.37, 2.0 * rho0.usedElements() * Float.BYTES / (1L << 30), 0.005);
    }

    @Test
    void embeddingBucketsGroupEveryPositionByTokenInAscendingOrder() {
        Random r = new Random(7);
        int[] batch = new int[500];
        for (int i = 0; i < batch.length; i++) batch[i] = r.nextInt(40);
        EmbeddingBuckets b = EmbeddingBuckets.of(batch, 50);
        int seen = 0;
        for (int u = 0; u < b.distinct(); u++) {
            if (u > 0) assertTrue(b.tokens()[u] > b.tokens()[u - 1]);
            assertTrue(b.starts()[u + 1] > b.starts()[u]);
            for (int i = b.starts()[u]; i < b.starts()[u + 1]; i++) {
                assertEquals(b.tokens()[u], batch[b.positions()[i]]);
                if (i > b.starts()[u]) assertTrue(b.positions()[i] > b.positions()[i - 1]);
                seen++;
            }
        }
        assertEquals(batch.length, seen);
        assertEquals(batch.length, b.starts()[b.distinct()]);
        assertEquals((int) java.util.Arrays.stream(batch).distinct().count(), b.distinct());
        assertThrows(IllegalArgumentException.class, () -> EmbeddingBuckets.of(new int[] {50}, 50));
    }

    @Test
    void ropeTablesFollowTheHuggingFaceFrequencies() {
        RopeTables t = RopeTables.of(16, 8, 10000);
        assertEquals(1f, t.cos()[3]);
        assertEquals(0f, t.sin()[3]);
        assertEquals((float) Math.cos(5 * Math.pow(10000, -2.0 * 2 / 8)), t.cos()[5 * 4 + 2]);
        assertEquals((float) Math.sin(5.0), t.sin()[5 * 4]);
        assertThrows(IllegalArgumentException.class, () -> RopeTables.of(4, 7, 10000));
    }

    @Test
    void launchPlansCoverTheShapesAndRefuseWhatTheKernelsCannotTake() {
        LaunchPlan.Dims a = LaunchPlan.attention(8, 1024, 12, 64);
        assertEquals(new LaunchPlan.Dims(128, 12, 8, 256), a);
        assertEquals(new LaunchPlan.Dims(1, 3, 2, 256), LaunchPlan.attention(2, 5, 3, 16));
        assertThrows(IllegalArgumentException.class, () -> LaunchPlan.attention(1, 16, 2, 256));
        assertThrows(IllegalArgumentException.class, () -> LaunchPlan.attention(1, 16, 2, 63));
        assertEquals(4, LaunchPlan.elementwise(1000).gridX());
        assertEquals(65536, LaunchPlan.elementwise(1L << 40).gridX());
        assertEquals(new LaunchPlan.Dims(2, 32, 1, 256), LaunchPlan.normWeightPartial(8192, 512));
        assertEquals(new LaunchPlan.Dims(LaunchPlan.STATS_BLOCKS, 100, 1, 256), LaunchPlan.statsPartial(100));
        assertEquals(1024, LaunchPlan.classifier(10).block());
        assertEquals(1, LaunchPlan.rope(1).gridX());
        assertThrows(IllegalArgumentException.class, () -> LaunchPlan.perRow(0));
    }

    @Test
    void mfuCountsGemmParametersAndCausalAttention() {
        double perToken = Mfu.flopsPerToken(LLAMA_130M, 256);
        assertEquals(6.0 * (134.11e6 - 24.576e6) + 6.0 * 12 * 768 * 256, perToken, 0.05e6 * 6);
        assertEquals(989e12, Mfu.peakFlops("NVIDIA H100 80GB HBM3").orElseThrow());
        assertEquals(756e12, Mfu.peakFlops("NVIDIA H100 PCIe").orElseThrow());
        assertEquals(989e12, Mfu.peakFlops("NVIDIA H200").orElseThrow());
        assertEquals(312e12, Mfu.peakFlops("NVIDIA A100-SXM4-80GB").orElseThrow());
        assertEquals(125e12, Mfu.peakFlops("NVIDIA A10").orElseThrow());
        assertEquals(362e12, Mfu.peakFlops("NVIDIA L40S").orElseThrow());
        assertEquals(121e12, Mfu.peakFlops("NVIDIA L4").orElseThrow());
        assertTrue(Mfu.peakFlops("Tesla T4").isEmpty());
        assertEquals(0.25, Mfu.mfu(LLAMA_130M, 256, 0.25 * 989e12 / perToken, 989e12), 1e-12);
    }

    @Test
    void unsupportedGpusAndMethodsAreRefusedByName() {
        UnsupportedOperationException volta = assertThrows(UnsupportedOperationException.class,
                () -> ComputeCapability.parse("7.0").requireSupported("Tesla V100-SXM2-16GB"));
        assertTrue(volta.getMessage().contains("Tesla V100") && volta.getMessage().contains("sm_70") && volta.getMessage().contains("Volta"));
        ComputeCapability.parse("sm_75").requireSupported("Tesla T4");
        ComputeCapability.parse("12.0").requireSupported("RTX 5090");
        assertEquals(new ComputeCapability(10, 0), ComputeCapability.parse("sm_100"));
        assertEquals("Hopper", ComputeCapability.parse("9.0").architecture());

        IllegalArgumentException sinkgd = assertThrows(IllegalArgumentException.class,
                () -> EngineSupport.requireMethod("sinkgd", true, "block-descending", "sinkgd", false));
        assertTrue(sinkgd.getMessage().contains("state-free rule sinkgd") && sinkgd.getMessage().contains("block-<order>"), sinkgd.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EngineSupport.requireMethod("frugal-columns", true, "columns", "sign_sgd", false));
        assertThrows(IllegalArgumentException.class, () -> EngineSupport.requireMethod("galore", true, "svd", "no", false));
        assertThrows(IllegalArgumentException.class, () -> EngineSupport.requireMethod("adamw", false, "block-descending", "sign_sgd", true));
        EngineSupport.requireMethod("adafrugal", true, "block-descending", "sign_sgd", false);
        EngineSupport.requireMethod("badam", true, "block-ascending", "no", false);
        EngineSupport.requireMethod("adamw", false, "block-descending", "sign_sgd", false);

        IllegalArgumentException t4 = assertThrows(IllegalArgumentException.class,
                () -> EngineSupport.requirePrecision("bf16", ComputeCapability.parse("7.5"), "Tesla T4"));
        assertTrue(t4.getMessage().contains("sm_75"), t4.getMessage());
        EngineSupport.requirePrecision("bf16", ComputeCapability.parse("9.0"), "H100");
        assertThrows(IllegalArgumentException.class, () -> EngineSupport.requirePrecision("fp16", ComputeCapability.parse("9.0"), "H100"));
    }

    @Test
    void ptxasFiguresAreReadPerKernelAndAMissingKernelIsAnError() {
        String log = "ptxas info    : 0 bytes gmem\n"
                + "ptxas info    : Compiling entry function 'rope_rotate' for 'sm_90'\n"
                + "ptxas info    : Function properties for rope_rotate\n"
                + "ptxas         .     8 bytes stack frame, 4 bytes spill stores, 12 bytes spill loads\n"
                + "ptxas info    : Used 40 registers, used 1 barriers, 1024 bytes smem\n";
        ComputeCapability sm90 = ComputeCapability.parse("sm_90");
        assertEquals(new KernelResources(40, 8, 4, 12, 1024), Nvrtc.resources(KernelSource.ROPE, sm90, log).get("rope_rotate"));
        assertThrows(IllegalStateException.class, () -> Nvrtc.resources(KernelSource.SWIGLU, sm90, log));
        Cubin spilling = new Cubin(KernelSource.ROPE, sm90, new byte[1], Nvrtc.resources(KernelSource.ROPE, sm90, log), log);
        assertEquals(1, spilling.violations().size(), spilling.violations().toString());
        Cubin greedy = new Cubin(KernelSource.ROPE, sm90, new byte[1], java.util.Map.of("rope_rotate", new KernelResources(256, 0, 0, 0, 49153)), "");
        assertEquals(2, greedy.violations().size(), greedy.violations().toString());
    }

    @Test
    void gemmPlanComputesTheRowMajorProductThroughColumnMajorArguments() {
        Random r = new Random(3);
        int m = 3, n = 5, k = 4;
        for (boolean ta : new boolean[] {false, true})
            for (boolean tb : new boolean[] {false, true}) {
                float[] a = random(r, m * k), b = random(r, k * n), c = random(r, m * n), expected = c.clone();
                for (int i = 0; i < m; i++)
                    for (int j = 0; j < n; j++) {
                        double s = 0;
                        for (int p = 0; p < k; p++) s += (ta ? a[p * m + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * n + j]);
                        expected[i * n + j] += (float) s;
                    }
                columnMajorGemm(GemmPlan.rowMajor(ta, tb, m, n, k), b, a, c);
                assertArrayEquals(expected, c, 1e-5f, "transA " + ta + " transB " + tb);
            }
    }

    /** cuBLAS's definition: C(col-major m x n, ldc) += op(X) op(Y), X the first operand. */
    private static void columnMajorGemm(GemmPlan p, float[] x, float[] y, float[] c) {
        for (int i = 0; i < p.m(); i++)
            for (int j = 0; j < p.n(); j++) {
                double s = 0;
                for (int q = 0; q < p.k(); q++) {
                    float xv = p.transFirst() ? x[i * p.ldFirst() + q] : x[q * p.ldFirst() + i];
                    float yv = p.transSecond() ? y[q * p.ldSecond() + j] : y[j * p.ldSecond() + q];
                    s += xv * yv;
                }
                c[j * p.ldc() + i] += (float) s;
            }
    }

    private static float[] random(Random r, int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) out[i] = (float) r.nextGaussian();
        return out;
    }
}
