package io.frugalspark.job.train;

import io.frugalspark.optim.OptimizerState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Parameters and optimizer state as a list of byte chunks of bounded size, so that no byte array,
 * broadcast piece or task result comes near Java's and Spark's 2 GB limits for large models. Chunks
 * hold whole tensors, in order; the state's first chunk holds its selections and scalars (identical on
 * every replica), the others hold moments (averaged across replicas).
 */
public final class Chunks {
    private Chunks() {}

    public static List<byte[]> ofTensors(List<INDArray> tensors, long maxBytes) {
        List<byte[]> out = new ArrayList<>();
        List<INDArray> group = new ArrayList<>();
        long size = 0;
        for (INDArray t : tensors) {
            long bytes = t.length() * t.dataType().width();
            if (!group.isEmpty() && size + bytes > maxBytes) {
                out.add(TensorCodec.encode(group));
                group = new ArrayList<>();
                size = 0;
            }
            group.add(t);
            size += bytes;
        }
        out.add(TensorCodec.encode(group));
        return out;
    }

    public static List<INDArray> toTensors(List<byte[]> chunks) {
        List<INDArray> out = new ArrayList<>();
        chunks.forEach(c -> out.addAll(TensorCodec.decode(c)));
        return out;
    }

    public static List<byte[]> ofState(OptimizerState state, long maxBytes) {
        OptimizerState head = new OptimizerState();
        state.selections().forEach(head::putSelection);
        state.scalars().forEach(head::putScalar);
        List<byte[]> out = new ArrayList<>(List.of(head.toBytes()));
        OptimizerState group = new OptimizerState();
        long size = 0;
        for (Map.Entry<String, INDArray> m : state.moments().entrySet()) {
            long bytes = m.getValue().length() * m.getValue().dataType().width();
            if (!group.moments().isEmpty() && size + bytes > maxBytes) {
                out.add(group.toBytes());
                group = new OptimizerState();
                size = 0;
            }
            group.putMoment(m.getKey(), m.getValue());
            size += bytes;
        }
        if (!group.moments().isEmpty()) {
            out.add(group.toBytes());
        }
        return out;
    }

    public static OptimizerState toState(List<byte[]> chunks) {
        OptimizerState state = new OptimizerState();
        for (byte[] c : chunks) {
            OptimizerState part = OptimizerState.fromBytes(c);
            part.selections().forEach(state::putSelection);
            part.scalars().forEach(state::putScalar);
            part.moments().forEach(state::putMoment);
        }
        return state;
    }
}
