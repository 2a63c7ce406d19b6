package io.frugalspark.cuda;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One source compiled for one architecture: the CUBIN image, what ptxas reported per kernel, and its log. */
public record Cubin(KernelSource source, ComputeCapability arch, byte[] image, Map<String, KernelResources> kernels, String log) {

    public KernelResources resources(String kernel) {
        KernelResources r = kernels.get(kernel);
        if (r == null) throw new IllegalArgumentException(source.file() + " has no kernel " + kernel + " (has " + kernels.keySet() + ")");
        return r;
    }

    /**
     * Every kernel that breaks a hardware limit (ptxas refuses some of these itself), spills registers or
     * keeps a stack frame: both put per-thread data in local memory, which the engine's kernels never need.
     */
    public List<String> violations() {
        List<String> out = new ArrayList<>();
        kernels.forEach((name, r) -> {
            String where = source.file() + ":" + name + " on " + arch.sm() + ": ";
            if (r.registers() > KernelResources.REGISTER_LIMIT) out.add(where + r.registers() + " registers > " + KernelResources.REGISTER_LIMIT);
            if (r.spills() || r.stackBytes() > 0) out.add(where + "uses local memory (" + r + ")");
            if (r.sharedBytes() > KernelResources.STATIC_SHARED_LIMIT)
                out.add(where + r.sharedBytes() + " B static shared memory > " + KernelResources.STATIC_SHARED_LIMIT);
        });
        return out;
    }
}
