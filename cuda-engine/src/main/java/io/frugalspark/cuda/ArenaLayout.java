package io.frugalspark.cuda;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each tensor lives in one device allocation: fp32 elements, every tensor starting on an aligned
 * boundary (256 bytes: cudaMalloc's own alignment, which vectorised loads and cuBLAS like). Parameters,
 * gradients and Adam's two moments each get an arena of this layout, so one allocation, one memset and
 * one statistics launch serve all tensors, and chunk exchange with the host is a copy of a range.
 */
public final class ArenaLayout {

    public static final int ALIGN_BYTES = 256;
    private static final int ALIGN_FLOATS = ALIGN_BYTES / Float.BYTES;

    private final Map<String, Long> offsets = new LinkedHashMap<>();
    private final Map<String, Long> sizes = new LinkedHashMap<>();
    private final long totalElements;

    public ArenaLayout(List<TensorSpec> tensors) {
        long next = 0;
        for (TensorSpec t : tensors) {
            if (offsets.put(t.name(), next) != null) throw new IllegalArgumentException("tensor listed twice: " + t.name());
            sizes.put(t.name(), t.elements());
            next = align(next + t.elements());
        }
        totalElements = next;
    }

    static long align(long elements) {
        return (elements + ALIGN_FLOATS - 1) / ALIGN_FLOATS * ALIGN_FLOATS;
    }

    /** Offset in floats from the arena's start. */
    public long offset(String tensor) {
        Long o = offsets.get(tensor);
        if (o == null) throw new IllegalArgumentException("no tensor " + tensor + " in this arena");
        return o;
    }

    public long elements(String tensor) {
        offset(tensor);
        return sizes.get(tensor);
    }

    public long totalElements() {
        return totalElements;
    }

    public long totalBytes() {
        return totalElements * Float.BYTES;
    }

    public List<String> tensors() {
        return List.copyOf(offsets.keySet());
    }

    /**
     * The offsets array tensor_stats_partial reads: tensor i spans [out[i], out[i+1]), its start to the next
     * one's, then the last tensor's end. The alignment padding in between is zero (arenas are zeroed when
     * allocated and kernels touch only their tensor's elements), so it changes no sum, norm or maximum.
     */
    public long[] statsOffsets() {
        List<String> names = tensors();
        long[] out = new long[names.size() + 1];
        for (int i = 0; i < names.size(); i++) out[i] = offsets.get(names.get(i));
        String last = names.get(names.size() - 1);
        out[names.size()] = offsets.get(last) + sizes.get(last);
        return out;
    }
}
