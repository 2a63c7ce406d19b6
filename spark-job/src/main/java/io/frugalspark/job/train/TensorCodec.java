package io.frugalspark.job.train;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Exact, compact bytes for a list of arrays (dtype, shape, raw little-endian values): what the driver
 * broadcasts and executors send back. Avoids Java serialization of off-heap buffers.
 */
public final class TensorCodec {
    private TensorCodec() {}

    public static byte[] encode(List<INDArray> arrays) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(arrays.size());
            for (INDArray a : arrays) {
                write(out, a);
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<INDArray> decode(byte[] data) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(data));
            int n = in.readInt();
            List<INDArray> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(read(in));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(DataOutputStream out, INDArray a) throws IOException {
        INDArray c = a.ordering() == 'c' && !a.isView() ? a : a.dup('c');
        out.writeUTF(c.dataType().name());
        long[] shape = c.shape();
        out.writeInt(shape.length);
        for (long s : shape) {
            out.writeLong(s);
        }
        ByteBuffer buf = c.data().asNio().order(ByteOrder.nativeOrder());
        int bytes = (int) (c.length() * c.dataType().width());
        byte[] raw = new byte[bytes];
        buf.position(0);
        buf.get(raw, 0, bytes);
        out.writeInt(bytes);
        out.write(raw);
    }

    private static INDArray read(DataInputStream in) throws IOException {
        DataType type = DataType.valueOf(in.readUTF());
        long[] shape = new long[in.readInt()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = in.readLong();
        }
        byte[] raw = new byte[in.readInt()];
        in.readFully(raw);
        INDArray a = Nd4j.create(type, shape, 'c');
        ByteBuffer dst = a.data().asNio().order(ByteOrder.nativeOrder());
        dst.position(0);
        dst.put(raw);
        return a;
    }
}
