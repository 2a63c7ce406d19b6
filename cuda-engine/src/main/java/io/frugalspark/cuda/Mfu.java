package io.frugalspark.cuda;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Model FLOPs utilisation: training FLOPs per token over the GPU's dense bf16 peak. Per token, a GEMM
 * parameter costs 6 FLOPs (2 forward, 4 backward) and causal attention 6 * layers * hidden * time
 * (q k^T and p v, 2 * 2 * time * hidden forward over a full window, times 3 for backward, halved by the mask).
 */
public final class Mfu {

    /** A device-name fragment and its dense (no sparsity) bf16 tensor-core peak, FLOP/s. */
    public record Peak(String nameContains, double flops) {}

    /** Most specific names first: the first fragment contained in the device's name wins. */
    public static final List<Peak> BF16_DENSE_PEAKS = List.of(
            new Peak("H100 PCIe", 756e12), new Peak("H100 NVL", 835e12), new Peak("H100", 989e12),
            new Peak("H200", 989e12), new Peak("H800", 989e12), new Peak("GB200", 2500e12), new Peak("B200", 2250e12),
            new Peak("A100", 312e12), new Peak("A800", 312e12), new Peak("A30", 165e12), new Peak("A10", 125e12),
            new Peak("L40S", 362e12), new Peak("L40", 181e12), new Peak("L4", 121e12),
            new Peak("RTX 4090", 165e12), new Peak("RTX 3090", 71e12));

    private Mfu() {}

    public static double flopsPerToken(LlamaShape shape, int time) {
        return 6.0 * shape.nonEmbeddingParameters() + 6.0 * shape.layers() * shape.hidden() * (double) time;
    }

    /** Empty for a GPU not in the table (Turing has no bf16 tensor cores at all): MFU is then not printed. */
    public static Optional<Double> peakFlops(String deviceName) {
        String name = deviceName.toUpperCase(Locale.ROOT);
        for (Peak p : BF16_DENSE_PEAKS) if (name.contains(p.nameContains().toUpperCase(Locale.ROOT))) return Optional.of(p.flops());
        return Optional.empty();
    }

    public static double mfu(LlamaShape shape, int time, double tokensPerSecond, double peakFlops) {
        return flopsPerToken(shape, time) * tokensPerSecond / peakFlops;
    }
}
