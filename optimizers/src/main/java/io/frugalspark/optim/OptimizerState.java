package io.frugalspark.optim;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A snapshot of an optimizer: moments (averaged across replicas), selection arrays (bases,
 * indices: identical on every replica, copied) and scalars (step counters, cursors, rho, T).
 * Arrays are copies, so a snapshot survives the optimizer; bytes round-trip exactly.
 */
public final class OptimizerState implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final int MAGIC = 0x46524753; // "FRGS"

    private transient Map<String, INDArray> moments = new LinkedHashMap<>();
    private transient Map<String, INDArray> selections = new LinkedHashMap<>();
    private transient Map<String, Double> scalars = new LinkedHashMap<>();

    public Map<String, INDArray> moments() {
        return Collections.unmodifiableMap(moments);
    }

    public Map<String, INDArray> selections() {
        return Collections.unmodifiableMap(selections);
    }

    public Map<String, Double> scalars() {
        return Collections.unmodifiableMap(scalars);
    }

    public OptimizerState putMoment(String key, INDArray value) {
        moments.put(key, value.dup('c'));
        return this;
    }

    public OptimizerState putSelection(String key, INDArray value) {
        selections.put(key, value.dup('c'));
        return this;
    }

    public OptimizerState putScalar(String key, double value) {
        scalars.put(key, value);
        return this;
    }

    public double scalar(String key) {
        Double v = scalars.get(key);
        if (v == null) {
            throw new IllegalArgumentException("optimizer state has no scalar '" + key + "'");
        }
        return v;
    }

    /**
     * Mean of replicas' moments; selections and scalars from the first. All replicas applied the
     * same selection, so keys and shapes must agree.
     */
    public static OptimizerState average(List<OptimizerState> replicas) {
        OptimizerState first = replicas.get(0);
        OptimizerState out = new OptimizerState();
        out.selections.putAll(first.selections);
        out.scalars.putAll(first.scalars);
        for (Map.Entry<String, INDArray> e : first.moments.entrySet()) {
            INDArray sum = e.getValue().dup();
            for (OptimizerState r : replicas.subList(1, replicas.size())) {
                INDArray other = r.moments.get(e.getKey());
                if (other == null || !java.util.Arrays.equals(other.shape(), sum.shape())) {
                    throw new IllegalArgumentException("replicas disagree on moment '" + e.getKey() + "'");
                }
                sum.addi(other);
            }
            out.moments.put(e.getKey(), sum.divi(replicas.size()));
        }
        return out;
    }

    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static OptimizerState fromBytes(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            OptimizerState s = new OptimizerState();
            s.read(in);
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void write(DataOutputStream out) throws IOException {
        out.writeInt(MAGIC);
        writeArrays(out, moments);
        writeArrays(out, selections);
        out.writeInt(scalars.size());
        for (Map.Entry<String, Double> e : scalars.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeDouble(e.getValue());
        }
    }

    private void read(DataInputStream in) throws IOException {
        if (in.readInt() != MAGIC) {
            throw new IOException("not an optimizer state");
        }
        readArrays(in, moments);
        readArrays(in, selections);
        for (int i = in.readInt(); i > 0; i--) {
            scalars.put(in.readUTF(), in.readDouble());
        }
    }

    private static void writeArrays(DataOutputStream out, Map<String, INDArray> arrays) throws IOException {
        out.writeInt(arrays.size());
        for (Map.Entry<String, INDArray> e : arrays.entrySet()) {
            INDArray a = e.getValue();
            out.writeUTF(e.getKey());
            out.writeUTF(a.dataType().name());
            out.writeInt(a.rank());
            for (long d : a.shape()) {
                out.writeLong(d);
            }
            writeValues(out, a);
        }
    }

    /** Values as little-endian bytes in one bulk copy (snapshot arrays are dense 'c' copies). */
    private static void writeValues(DataOutputStream out, INDArray a) throws IOException {
        ByteBuffer src = a.data().asNio().order(ByteOrder.nativeOrder());
        int width = a.dataType().width();
        byte[] bytes = new byte[(int) a.length() * width];
        ByteBuffer dst = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        switch (a.dataType()) {
            case FLOAT -> dst.asFloatBuffer().put(src.asFloatBuffer().limit((int) a.length()));
            case DOUBLE -> dst.asDoubleBuffer().put(src.asDoubleBuffer().limit((int) a.length()));
            default -> dst.asLongBuffer().put(a.castTo(DataType.LONG).data().asNio().order(ByteOrder.nativeOrder()).asLongBuffer());
        }
        out.write(bytes);
    }

    private static void readArrays(DataInputStream in, Map<String, INDArray> arrays) throws IOException {
        for (int n = in.readInt(); n > 0; n--) {
            String key = in.readUTF();
            DataType type = DataType.valueOf(in.readUTF());
            long[] shape = new long[in.readInt()];
            long len = 1;
            for (int d = 0; d < shape.length; d++) {
                shape[d] = in.readLong();
                len *= shape[d];
            }
            arrays.put(key, readValues(in, type, shape, (int) len));
        }
    }

    private static INDArray readValues(DataInputStream in, DataType type, long[] shape, int len) throws IOException {
        DataType stored = type == DataType.FLOAT || type == DataType.DOUBLE ? type : DataType.LONG;
        byte[] bytes = new byte[len * stored.width()];
        in.readFully(bytes);
        ByteBuffer src = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        INDArray a = Nd4j.create(stored, shape, 'c');
        ByteBuffer dst = a.data().asNio().order(ByteOrder.nativeOrder());
        switch (stored) {
            case FLOAT -> dst.asFloatBuffer().put(src.asFloatBuffer());
            case DOUBLE -> dst.asDoubleBuffer().put(src.asDoubleBuffer());
            default -> dst.asLongBuffer().put(src.asLongBuffer());
        }
        return stored == type ? a : a.castTo(type);
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
        out.defaultWriteObject();
        byte[] data = toBytes();
        out.writeInt(data.length);
        out.write(data);
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        byte[] data = new byte[in.readInt()];
        in.readFully(data);
        OptimizerState s = fromBytes(data);
        moments = s.moments;
        selections = s.selections;
        scalars = s.scalars;
    }
}
