package io.frugalspark.optim.state;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * A dense row-major array held as little-endian bytes, independent of any tensor library: what the
 * optimizer state and the parameter exchange are made of. One array holds at most 2^31 - 1 bytes
 * (the largest tensor of a 7B model's state is 0.5 GiB); a state or a stream of arrays has no limit.
 */
public record HostArray(DType dtype, long[] shape, ByteBuffer data) {
    private static final int BLOCK = 1 << 14;

    public HostArray {
        shape = shape.clone();
        long bytes = numel(shape) * dtype.width();
        if (data.remaining() != bytes) {
            throw new IllegalArgumentException("array of shape " + Arrays.toString(shape) + " needs " + bytes
                    + " bytes, got " + data.remaining());
        }
        data = data.slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** A zero-filled array on the Java heap. */
    public static HostArray zeros(DType dtype, long... shape) {
        long bytes = numel(shape) * dtype.width();
        if (bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("one array holds at most 2^31 - 1 bytes; shape " + Arrays.toString(shape)
                    + " needs " + bytes);
        }
        return new HostArray(dtype, shape, ByteBuffer.allocate((int) bytes));
    }

    public static HostArray ofFloats(long[] shape, float... values) {
        HostArray a = zeros(DType.F32, shape);
        a.data.asFloatBuffer().put(values);
        return a;
    }

    public static long numel(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public long numel() {
        return numel(shape);
    }

    public long byteSize() {
        return numel() * dtype.width();
    }

    /** The bytes, little-endian, from position 0 (a read-only view: the array is not changed through it). */
    @Override
    public ByteBuffer data() {
        return data.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Whether no element is NaN or infinite (integer arrays always are finite). */
    public boolean allFinite() {
        switch (dtype) {
            case F32 -> {
                FloatBuffer f = data.asFloatBuffer();
                for (int i = 0; i < f.limit(); i++) {
                    if (!Float.isFinite(f.get(i))) {
                        return false;
                    }
                }
            }
            case F64 -> {
                DoubleBuffer d = data.asDoubleBuffer();
                for (int i = 0; i < d.limit(); i++) {
                    if (!Double.isFinite(d.get(i))) {
                        return false;
                    }
                }
            }
            default -> { }
        }
        return true;
    }

    public boolean sameLayout(HostArray o) {
        return dtype == o.dtype && Arrays.equals(shape, o.shape);
    }

    /**
     * The element-wise mean, summed in list order then divided once (in the arrays' own precision, as
     * ND4J's {@code addi} and {@code divi} do): the same list gives the same bits whatever ran before.
     */
    public static HostArray mean(List<HostArray> parts) {
        HostArray first = sameLayouts(parts);
        if (parts.size() == 1) {
            return first;
        }
        HostArray out = zeros(first.dtype, first.shape);
        switch (first.dtype) {
            case F32 -> meanFloats(parts, out.data.asFloatBuffer());
            case F64 -> meanDoubles(parts, out.data.asDoubleBuffer());
            default -> throw new IllegalArgumentException("integer arrays (selections) are not averaged");
        }
        return out;
    }

    /**
     * The mean weighted by {@code weights} (a worker's counted targets): sum of w_i x_i / sum of w_i,
     * accumulated in double and rounded once to the arrays' precision. Equal weights (packed data) take
     * {@link #mean(List)}, so runs whose workers see equal counts keep their bits.
     */
    public static HostArray mean(List<HostArray> parts, double[] weights) {
        double total = Arrays.stream(weights).sum();
        if (Arrays.stream(weights).allMatch(w -> w == weights[0]) || !(total > 0)) {
            return mean(parts);
        }
        HostArray first = sameLayouts(parts);
        if (first.dtype != DType.F32 && first.dtype != DType.F64) {
            throw new IllegalArgumentException("integer arrays (selections) are not averaged");
        }
        HostArray out = zeros(first.dtype, first.shape);
        int n = (int) out.numel();
        double[] acc = new double[BLOCK];
        for (int at = 0; at < n; at += BLOCK) {
            int len = Math.min(BLOCK, n - at);
            Arrays.fill(acc, 0, len, 0);
            for (int p = 0; p < parts.size(); p++) {
                parts.get(p).addScaled(weights[p] / total, at, len, acc);
            }
            out.put(at, len, acc);
        }
        return out;
    }

    /** The first of arrays that must share one layout to be averaged. */
    private static HostArray sameLayouts(List<HostArray> parts) {
        HostArray first = parts.get(0);
        for (HostArray p : parts) {
            if (!p.sameLayout(first)) {
                throw new IllegalArgumentException("cannot average arrays of different layouts: " + first.describe()
                        + " and " + p.describe());
            }
        }
        return first;
    }

    /** acc[i] += w * this[at + i] for i < len. */
    private void addScaled(double w, int at, int len, double[] acc) {
        if (dtype == DType.F32) {
            FloatBuffer f = data.asFloatBuffer();
            for (int i = 0; i < len; i++) {
                acc[i] += w * f.get(at + i);
            }
        } else {
            DoubleBuffer d = data.asDoubleBuffer();
            for (int i = 0; i < len; i++) {
                acc[i] += w * d.get(at + i);
            }
        }
    }

    /** this[at + i] = values[i], rounded to this array's precision. */
    private void put(int at, int len, double[] values) {
        if (dtype == DType.F32) {
            FloatBuffer f = data.asFloatBuffer();
            for (int i = 0; i < len; i++) {
                f.put(at + i, (float) values[i]);
            }
        } else {
            data.asDoubleBuffer().put(at, values, 0, len);
        }
    }

    private static void meanFloats(List<HostArray> parts, FloatBuffer out) {
        int n = out.capacity();
        float[] acc = new float[BLOCK];
        float[] add = new float[BLOCK];
        float count = parts.size();
        for (int at = 0; at < n; at += BLOCK) {
            int len = Math.min(BLOCK, n - at);
            parts.get(0).data.asFloatBuffer().get(at, acc, 0, len);
            for (HostArray p : parts.subList(1, parts.size())) {
                p.data.asFloatBuffer().get(at, add, 0, len);
                for (int i = 0; i < len; i++) {
                    acc[i] += add[i];
                }
            }
            for (int i = 0; i < len; i++) {
                acc[i] /= count;
            }
            out.put(at, acc, 0, len);
        }
    }

    private static void meanDoubles(List<HostArray> parts, DoubleBuffer out) {
        int n = out.capacity();
        double[] acc = new double[BLOCK];
        double[] add = new double[BLOCK];
        double count = parts.size();
        for (int at = 0; at < n; at += BLOCK) {
            int len = Math.min(BLOCK, n - at);
            parts.get(0).data.asDoubleBuffer().get(at, acc, 0, len);
            for (HostArray p : parts.subList(1, parts.size())) {
                p.data.asDoubleBuffer().get(at, add, 0, len);
                for (int i = 0; i < len; i++) {
                    acc[i] += add[i];
                }
            }
            for (int i = 0; i < len; i++) {
                acc[i] /= count;
            }
            out.put(at, acc, 0, len);
        }
    }

    /** Writes the bytes to {@code out} without an intermediate copy of the whole array. */
    void writeTo(java.io.OutputStream out) throws java.io.IOException {
        if (data.hasArray()) {
            out.write(data.array(), data.arrayOffset(), data.remaining());
            return;
        }
        ByteBuffer src = data.duplicate();
        byte[] chunk = new byte[Math.min(1 << 16, Math.max(1, src.remaining()))];
        while (src.hasRemaining()) {
            int n = Math.min(chunk.length, src.remaining());
            src.get(chunk, 0, n);
            out.write(chunk, 0, n);
        }
    }

    /** Reads an array of {@code dtype} and {@code shape} from {@code in} onto the heap. */
    static HostArray readFrom(java.io.DataInputStream in, DType dtype, long[] shape) throws java.io.IOException {
        HostArray a = zeros(dtype, shape);
        in.readFully(a.data.array(), a.data.arrayOffset(), a.data.remaining());
        return a;
    }

    String describe() {
        return dtype + Arrays.toString(shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HostArray a && sameLayout(a) && data.equals(a.data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * dtype.hashCode() + Arrays.hashCode(shape)) + data.hashCode();
    }

    @Override
    public String toString() {
        return "HostArray" + describe();
    }
}
