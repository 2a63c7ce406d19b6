package io.frugalspark.optim;

import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Reusable work buffers per (dtype, length), so the hot path allocates nothing per step. */
final class Scratch {
    private final Map<String, INDArray> buffers = new HashMap<>();

    INDArray like(INDArray a) {
        DataType t = a.dataType();
        INDArray flat = buffers.computeIfAbsent(t + ":" + a.length(), k -> Nd4j.create(t, a.length()));
        return flat.reshape('c', a.shape());
    }

    void release() {
        buffers.values().forEach(INDArray::close);
        buffers.clear();
    }
}
