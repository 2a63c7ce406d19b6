package io.frugalspark.optim;

import io.frugalspark.optim.state.DType;
import io.frugalspark.optim.state.HostArray;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** ND4J arrays to and from the library-free {@link HostArray} of the state format. */
public final class HostArrays {
    static {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new IllegalStateException("frugal-spark's state format assumes a little-endian platform");
        }
    }

    private HostArrays() {}

    /** A heap copy of {@code a}'s values in row-major order. */
    public static HostArray copyOf(INDArray a) {
        INDArray c = dense(a) ? a : a.dup('c');
        ByteBuffer src = nio(c);
        byte[] bytes = new byte[src.remaining()];
        src.get(bytes);
        if (c != a) {
            c.close();
        }
        return new HostArray(dtype(c.dataType()), c.shape(), ByteBuffer.wrap(bytes));
    }

    /**
     * {@code a}'s values without a copy when it is a dense row-major array (a heap copy otherwise):
     * valid while {@code a} is alive and unchanged, for encoding it at once.
     */
    public static HostArray view(INDArray a) {
        return dense(a) ? new HostArray(dtype(a.dataType()), a.shape(), nio(a)) : copyOf(a);
    }

    private static boolean dense(INDArray a) {
        return a.ordering() == 'c' && !a.isView();
    }

    private static ByteBuffer nio(INDArray c) {
        ByteBuffer buf = c.data().asNio().order(ByteOrder.LITTLE_ENDIAN);
        buf.position(0).limit((int) (c.length() * c.dataType().width()));
        return buf;
    }

    /** A new row-major ND4J array holding {@code h}'s values. */
    public static INDArray toNd4j(HostArray h) {
        INDArray a = Nd4j.create(dataType(h.dtype()), h.shape(), 'c');
        ByteBuffer dst = a.data().asNio();
        dst.position(0);
        dst.put(h.data());
        return a;
    }

    static DType dtype(DataType t) {
        return switch (t) {
            case FLOAT -> DType.F32;
            case DOUBLE -> DType.F64;
            case INT -> DType.I32;
            case LONG -> DType.I64;
            default -> throw new IllegalArgumentException("arrays of " + t + " are not part of the state format");
        };
    }

    static DataType dataType(DType t) {
        return switch (t) {
            case F32 -> DataType.FLOAT;
            case F64 -> DataType.DOUBLE;
            case I32 -> DataType.INT;
            case I64 -> DataType.LONG;
        };
    }
}
