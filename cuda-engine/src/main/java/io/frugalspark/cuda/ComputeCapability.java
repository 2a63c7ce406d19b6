package io.frugalspark.cuda;

import java.util.List;

/** An NVIDIA compute capability (sm_XY), and which of them the CUDA engine runs on. */
public record ComputeCapability(int major, int minor) implements Comparable<ComputeCapability> {

    /** The oldest the engine supports: CUDA 13 (the bindings' toolkit) dropped Volta (sm_70) and older. */
    public static final ComputeCapability OLDEST = new ComputeCapability(7, 5);

    /** What CI compiles every kernel for: Turing, Ampere (A100, GA10x), Ada, Hopper, Blackwell (B200, RTX 50). */
    public static final List<ComputeCapability> COMPILE_TARGETS = List.of(
            new ComputeCapability(7, 5), new ComputeCapability(8, 0), new ComputeCapability(8, 6),
            new ComputeCapability(8, 9), new ComputeCapability(9, 0), new ComputeCapability(10, 0),
            new ComputeCapability(12, 0));

    public static ComputeCapability parse(String text) {
        String s = text.trim().toLowerCase();
        if (s.startsWith("sm_") && s.length() >= 5) {
            String digits = s.substring(3);
            return new ComputeCapability(Integer.parseInt(digits.substring(0, digits.length() - 1)),
                    Integer.parseInt(digits.substring(digits.length() - 1)));
        }
        String[] parts = s.split("\\.");
        if (parts.length != 2) throw new IllegalArgumentException("not a compute capability: " + text + " (want 9.0 or sm_90)");
        return new ComputeCapability(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
    }

    /** NVRTC's architecture name, e.g. sm_90. */
    public String sm() {
        return "sm_" + major + minor;
    }

    public String architecture() {
        return switch (major) {
            case 3 -> "Kepler";
            case 5 -> "Maxwell";
            case 6 -> "Pascal";
            case 7 -> minor >= 5 ? "Turing" : "Volta";
            case 8 -> minor == 9 ? "Ada" : "Ampere";
            case 9 -> "Hopper";
            case 10, 11, 12 -> "Blackwell";
            default -> "unknown";
        };
    }

    public boolean supported() {
        return compareTo(OLDEST) >= 0;
    }

    /** bf16 tensor-core GEMMs (cuBLAS CUDA_R_16BF inputs) exist from Ampere on. */
    public boolean hasBf16() {
        return major >= 8;
    }

    /** The refusal the GPU guard prints for sm_70 and older, naming the device's architecture. */
    public void requireSupported(String deviceName) {
        if (!supported())
            throw new UnsupportedOperationException(deviceName + " is " + sm() + " (" + architecture()
                    + "): the CUDA engine needs " + OLDEST.sm() + " (Turing) or newer, because CUDA 13 dropped "
                    + "Volta and older; run this job on CPU executors (train.engine = cpu)");
    }

    @Override
    public int compareTo(ComputeCapability o) {
        return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
