package io.frugalspark.optim.state;

import io.frugalspark.optim.state.OptimizerState.Counters;
import io.frugalspark.optim.state.SubspaceRecord.BlockFlag;
import io.frugalspark.optim.state.SubspaceRecord.CoordinateSet;
import io.frugalspark.optim.state.SubspaceRecord.ProjectionBasis;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code optimizer.bin} as checkpoints wrote it before the typed format (magic {@code FRGS}):
 * three string-keyed maps (moments, selections, scalars; Java's big-endian framing, little-endian
 * values) whose key conventions live only here now. Lets a running job resume across the upgrade.
 */
final class LegacyStateReader {
    static final byte[] MAGIC = {'F', 'R', 'G', 'S'};
    private static final String STEP = "/step";

    private LegacyStateReader() {}

    static OptimizerState read(InputStream stream) throws IOException {
        DataInputStream in = new DataInputStream(stream);
        in.readInt(); // the magic, checked by the caller
        Map<String, HostArray> moments = arrays(in);
        Map<String, HostArray> selections = arrays(in);
        Map<String, Double> scalars = new LinkedHashMap<>();
        for (int n = in.readInt(); n > 0; n--) {
            scalars.put(in.readUTF(), in.readDouble());
        }
        List<TensorRecord> tensors = new ArrayList<>();
        for (Map.Entry<String, Double> e : scalars.entrySet()) {
            if (e.getKey().endsWith(STEP)) {
                String name = e.getKey().substring(0, e.getKey().length() - STEP.length());
                tensors.add(new TensorRecord(name, e.getValue().longValue(), scalar(scalars, name + "/in_group") != 0,
                        subspace(name, scalars, selections), momentsOf(name, moments)));
            }
        }
        Counters c = new Counters((long) scalar(scalars, "optimizer/calls"), (long) scalar(scalars, "optimizer/reselections"),
                scalar(scalars, "optimizer/rho"), scalar(scalars, "optimizer/rho_updated") != 0,
                (int) scalar(scalars, "optimizer/update_gap"), scalars.getOrDefault("selector/cursor", -1.0).longValue());
        return new OptimizerState(c, tensors);
    }

    private static SubspaceRecord subspace(String name, Map<String, Double> scalars, Map<String, HostArray> selections) {
        Double active = scalars.get(name + "/active");
        if (active != null) {
            return active != 0 ? BlockFlag.ACTIVE : BlockFlag.INACTIVE;
        }
        HostArray left = selections.get(name + "/basis_left");
        HostArray right = selections.get(name + "/basis_right");
        if (left != null || right != null) {
            return new ProjectionBasis(left, right);
        }
        for (CoordinateChoice c : CoordinateChoice.values()) {
            HostArray idx = selections.get(name + "/" + c.key());
            if (idx != null) {
                return new CoordinateSet(c, ints(idx));
            }
        }
        throw new IllegalArgumentException("legacy optimizer state has no selection for '" + name + "'");
    }

    private static Map<String, HostArray> momentsOf(String name, Map<String, HostArray> moments) {
        Map<String, HostArray> out = new LinkedHashMap<>();
        moments.forEach((key, v) -> {
            int at = key.lastIndexOf('/');
            if (key.substring(0, at).equals(name)) {
                out.put(key.substring(at + 1), v);
            }
        });
        return out;
    }

    private static double scalar(Map<String, Double> scalars, String key) {
        Double v = scalars.get(key);
        if (v == null) {
            throw new IllegalArgumentException("legacy optimizer state has no scalar '" + key + "'");
        }
        return v;
    }

    private static int[] ints(HostArray longs) {
        LongBuffer b = longs.data().asLongBuffer();
        int[] out = new int[b.remaining()];
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.toIntExact(b.get(i));
        }
        return out;
    }

    /** One map: key, ND4J type name, rank, dims, values (float and double as such, other types as int64). */
    private static Map<String, HostArray> arrays(DataInputStream in) throws IOException {
        Map<String, HostArray> out = new LinkedHashMap<>();
        for (int n = in.readInt(); n > 0; n--) {
            String key = in.readUTF();
            String type = in.readUTF();
            long[] shape = new long[in.readInt()];
            for (int d = 0; d < shape.length; d++) {
                shape[d] = in.readLong();
            }
            DType stored = switch (type) {
                case "FLOAT" -> DType.F32;
                case "DOUBLE" -> DType.F64;
                default -> DType.I64;
            };
            out.put(key, HostArray.readFrom(in, stored, shape));
        }
        return out;
    }
}
