package io.frugalspark.job.gpu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Guards the CUDA backend: the published nd4j-cuda-11.6 1.0.0-M2.1 binaries hold kernels for
 * sm_37..sm_86 and no PTX, so on a newer GPU (Hopper H100/H200: sm_90) ND4J would crash natively.
 * We ask nvidia-smi first and stop with a message naming the GPU and the supported range.
 */
public final class GpuSupport {
    public static final double MIN_CC = 3.7;
    public static final double MAX_CC = 8.9; // sm_86 kernels; Ada (8.9) runs them through binary compatibility
    public static final String RANGE = "compute capability 3.7 to 8.6 (Kepler K80 to Ampere: V100, T4, A100, A10, RTX 30xx; Ada likely)";

    private GpuSupport() {}

    /** One GPU as nvidia-smi reports it. */
    public record Gpu(int index, String name, double computeCapability) {}

    /** True when the ND4J backend on the classpath is the CUDA one. */
    public static boolean cudaBackendOnClasspath() {
        try {
            Class.forName("org.nd4j.linalg.jcublas.JCublasBackend", false, GpuSupport.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** Parses {@code nvidia-smi --query-gpu=index,name,compute_cap --format=csv,noheader}. */
    public static List<Gpu> parse(String csv) {
        List<Gpu> gpus = new ArrayList<>();
        for (String line : csv.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(",");
            if (f.length < 3) {
                throw new IllegalArgumentException("unexpected nvidia-smi line: '" + line + "'");
            }
            gpus.add(new Gpu(Integer.parseInt(f[0].trim()), f[1].trim(), Double.parseDouble(f[2].trim())));
        }
        return gpus;
    }

    /** Throws naming every unsupported GPU and the supported range. */
    public static void requireSupported(List<Gpu> gpus) {
        List<String> bad = new ArrayList<>();
        for (Gpu g : gpus) {
            if (g.computeCapability() < MIN_CC || g.computeCapability() > MAX_CC) {
                bad.add("GPU " + g.index() + " " + g.name() + " (compute capability " + g.computeCapability() + ")");
            }
        }
        if (!bad.isEmpty()) {
            throw new UnsupportedGpuException(String.join("; ", bad) + " is not supported by the nd4j-cuda-11.6 1.0.0-M2.1 binaries, which run on "
                    + RANGE + ". Run this job on CPU executors (build without -Pcuda).");
        }
        if (gpus.isEmpty()) {
            throw new UnsupportedGpuException("the cuda build is on the classpath but nvidia-smi lists no GPU");
        }
    }

    /** With the CUDA backend present, queries nvidia-smi and checks every visible GPU. */
    public static void checkBeforeNd4jLoads() {
        if (!cudaBackendOnClasspath()) {
            return;
        }
        requireSupported(parse(querySmi()));
    }

    private static String querySmi() {
        try {
            Process p = new ProcessBuilder("nvidia-smi", "--query-gpu=index,name,compute_cap", "--format=csv,noheader")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new UnsupportedGpuException("nvidia-smi failed: " + out.trim());
            }
            return out;
        } catch (IOException e) {
            throw new UnsupportedGpuException("the cuda build needs an NVIDIA driver, but nvidia-smi cannot run: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnsupportedGpuException("interrupted while querying nvidia-smi");
        }
    }

    /** The job cannot use this machine's GPUs. */
    public static final class UnsupportedGpuException extends RuntimeException {
        public UnsupportedGpuException(String message) {
            super(message);
        }
    }
}
