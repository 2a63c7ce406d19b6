package io.frugalspark.job.train;

import io.frugalspark.optim.HostArrays;
import io.frugalspark.optim.state.OptimizerState;
import io.frugalspark.optim.state.StateCodec;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Parameters and optimizer state as a list of byte chunks of bounded size, in the one state format
 * ({@link StateCodec}), so that no byte array, broadcast piece or task result comes near Java's and
 * Spark's 2 GB limits for large models. Chunks hold whole tensors, in order; the state's first chunk
 * holds its counters and selections (identical on every replica), the others hold moments (averaged
 * across replicas).
 */
public final class Chunks {
    private Chunks() {}

    public static List<byte[]> ofTensors(List<INDArray> tensors, long maxBytes) {
        // views, not copies: they are encoded at once, while the tensors are unchanged
        return StateCodec.encodeArrays(tensors.stream().map(HostArrays::view).toList(), maxBytes);
    }

    public static List<INDArray> toTensors(List<byte[]> chunks) {
        List<INDArray> out = new ArrayList<>();
        chunks.forEach(c -> StateCodec.decodeArrays(c).forEach(a -> out.add(HostArrays.toNd4j(a))));
        return out;
    }

    public static List<byte[]> ofState(OptimizerState state, long maxBytes) {
        List<byte[]> out = new ArrayList<>(List.of(StateCodec.encodeHead(state)));
        out.addAll(StateCodec.encodeMoments(state, maxBytes));
        return out;
    }

    public static OptimizerState toState(List<byte[]> chunks) {
        return StateCodec.decodeChunks(chunks);
    }

    /** Counters and selections of a state in chunks, without its moments (the head chunk alone). */
    public static OptimizerState head(List<byte[]> chunks) {
        return StateCodec.decodeChunks(chunks.subList(0, 1));
    }
}
