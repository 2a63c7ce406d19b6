package io.frugalspark.optim;

import io.frugalspark.optim.subspace.Subspace;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Explicit per-tensor state: step counter, the state-full rule's moments, the subspace in force. */
public final class TensorState {
    public long step;
    public Subspace subspace;
    private final Map<String, INDArray> moments = new LinkedHashMap<>();

    TensorState(Subspace subspace) {
        this.subspace = subspace;
    }

    public Map<String, INDArray> moments() {
        return moments;
    }

    public INDArray moment(String key) {
        return moments.get(key);
    }

    public void putMoment(String key, INDArray value) {
        moments.put(key, value);
    }

    /** Drops the moments and frees their off-heap memory now rather than at garbage collection. */
    public void freeMoments() {
        moments.values().forEach(INDArray::close);
        moments.clear();
    }

    public long bytes() {
        long sum = 0;
        for (INDArray a : moments.values()) {
            sum += a.length() * a.dataType().width();
        }
        return sum + subspace.bytes();
    }
}
