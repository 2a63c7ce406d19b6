package io.frugalspark.model.layers;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Named 'c'-order arrays reused across steps: reallocated only when a shape changes (a new batch
 * shape), so the hot loop allocates nothing large. One instance per decoder block holds what its
 * backward needs; one shared instance holds backward temporaries.
 */
public final class Buffers {
    private final DataType dtype;
    private final Map<String, INDArray> arrays = new HashMap<>();

    public Buffers(DataType dtype) {
        this.dtype = dtype;
    }

    public INDArray get(String key, long... shape) {
        INDArray a = arrays.get(key);
        if (a == null || !Arrays.equals(a.shape(), shape)) {
            a = Nd4j.create(dtype, shape, 'c');
            arrays.put(key, a);
        }
        return a;
    }

    /** An array stored earlier under {@code key} (by forward, for backward). */
    public INDArray get(String key) {
        INDArray a = arrays.get(key);
        if (a == null) throw new IllegalStateException("no buffer '" + key + "': backward before forward?");
        return a;
    }

    public void clear() {
        arrays.clear();
    }
}
