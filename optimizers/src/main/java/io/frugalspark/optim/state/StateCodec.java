package io.frugalspark.optim.state;

import io.frugalspark.optim.state.OptimizerState.Counters;
import io.frugalspark.optim.state.SubspaceRecord.BlockFlag;
import io.frugalspark.optim.state.SubspaceRecord.CoordinateSet;
import io.frugalspark.optim.state.SubspaceRecord.ProjectionBasis;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one format for optimizer state, selections and parameter chunks: versioned, little-endian and
 * streamed record by record, so nothing is ever held as one array (no 2 GiB limit). A stream is the
 * magic {@code FRST}, an int32 version, then tagged records up to an END tag:
 * <pre>
 * COUNTERS  i64 calls, i64 reselections, f64 rho, u8 rho_updated, i32 update_gap, i64 selector_cursor
 * TENSOR    str name, i64 step, u8 in_group, subspace
 * MOMENT    str tensor, str key, array
 * ARRAY     array                          (parameter chunks)
 * SELECT    str tensor, subspace           (a selection)
 * subspace  u8 kind: 1 block (u8 active) | 2 coordinates (u8 choice, i32 k, i32[k]) | 3 basis (u8 sides, arrays)
 * array     u8 dtype, u8 rank, i64[rank] dims, numel x width bytes
 * str       i32 length, UTF-8 bytes
 * </pre>
 * Any mix of records may be split over several streams (the exchange's chunks) and assembled again.
 * Streams written before this format (magic {@code FRGS}) are read by {@link LegacyStateReader}.
 */
public final class StateCodec {
    public static final int VERSION = 1;
    static final byte[] MAGIC = {'F', 'R', 'S', 'T'};
    private static final int END = 0;
    private static final int COUNTERS = 1;
    private static final int TENSOR = 2;
    private static final int MOMENT = 3;
    private static final int ARRAY = 4;
    private static final int SELECT = 5;

    private StateCodec() {}

    /** The whole state, streamed to {@code out} (not closed). */
    public static void write(OptimizerState s, OutputStream out) throws IOException {
        Writer w = new Writer(out);
        w.head(s);
        for (TensorRecord t : s.tensors()) {
            for (Map.Entry<String, HostArray> m : t.moments().entrySet()) {
                w.moment(t.name(), m.getKey(), m.getValue());
            }
        }
        w.end();
    }

    /** A whole state from {@code in}, in this format or the legacy one. */
    public static OptimizerState read(InputStream in) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(in, 1 << 16);
        buffered.mark(MAGIC.length);
        byte[] magic = buffered.readNBytes(MAGIC.length);
        buffered.reset();
        if (java.util.Arrays.equals(magic, LegacyStateReader.MAGIC)) {
            return LegacyStateReader.read(buffered);
        }
        Assembler a = new Assembler();
        a.read(buffered);
        return a.state();
    }

    /** Counters and every tensor's step, group flag and subspace: the part all replicas agree on. */
    public static byte[] encodeHead(OptimizerState s) {
        return bytes(w -> w.head(s));
    }

    /** The moments, as chunks of at most about {@code maxBytes} each (whole arrays, state order). */
    public static List<byte[]> encodeMoments(OptimizerState s, long maxBytes) {
        List<Moment> all = new ArrayList<>();
        for (TensorRecord t : s.tensors()) {
            t.moments().forEach((key, value) -> all.add(new Moment(t.name(), key, value)));
        }
        return bounded(all, m -> m.value.byteSize(), maxBytes).stream().map(StateCodec::encodeMoments).toList();
    }

    /** Arrays in order as chunks of at most about {@code maxBytes} each (whole arrays; at least one chunk). */
    public static List<byte[]> encodeArrays(List<HostArray> arrays, long maxBytes) {
        List<List<HostArray>> groups = bounded(arrays, HostArray::byteSize, maxBytes);
        return (groups.isEmpty() ? List.of(List.<HostArray>of()) : groups).stream().map(StateCodec::encodeArrays).toList();
    }

    /** Consecutive groups of whole items, each group closed before it would pass {@code maxBytes}. */
    private static <T> List<List<T>> bounded(List<T> items, java.util.function.ToLongFunction<T> bytes, long maxBytes) {
        List<List<T>> out = new ArrayList<>();
        List<T> group = new ArrayList<>();
        long size = 0;
        for (T item : items) {
            long b = bytes.applyAsLong(item);
            if (!group.isEmpty() && size + b > maxBytes) {
                out.add(group);
                group = new ArrayList<>();
                size = 0;
            }
            group.add(item);
            size += b;
        }
        if (!group.isEmpty()) {
            out.add(group);
        }
        return out;
    }

    /** One state from a head and moment chunks in any order. */
    public static OptimizerState decodeChunks(List<byte[]> chunks) {
        Assembler a = new Assembler();
        chunks.forEach(c -> a.readBytes(c));
        return a.state();
    }

    /**
     * One stream of a state held as chunks (a head and moment chunks, as {@link #encodeHead} and
     * {@link #encodeMoments} make them): their records copied in order under one header, without
     * decoding, so a checkpoint of a state held as chunks never holds it twice.
     */
    public static void writeChunks(List<byte[]> chunks, OutputStream out) throws IOException {
        Writer w = new Writer(out);
        int header = MAGIC.length + Integer.BYTES;
        for (byte[] c : chunks) {
            new Assembler().checkHeader(new DataInputStream(new ByteArrayInputStream(c, 0, header)));
            if (c[c.length - 1] != END) {
                throw new IllegalArgumentException("a state chunk must end with its END record");
            }
            w.out.write(c, header, c.length - header - 1);
        }
        w.end();
    }

    /** The mean of the same moment chunk from every replica, in the list's (worker) order. */
    public static byte[] averageMoments(List<byte[]> replicas, double[] weights) {
        List<List<Moment>> parts = replicas.stream().map(b -> {
            Assembler a = new Assembler();
            a.readBytes(b);
            return a.moments;
        }).toList();
        List<Moment> first = parts.get(0);
        List<Moment> mean = new ArrayList<>();
        for (int i = 0; i < first.size(); i++) {
            Moment m = first.get(i);
            List<HostArray> same = new ArrayList<>();
            for (List<Moment> p : parts) {
                Moment o = i < p.size() ? p.get(i) : null;
                if (o == null || !o.tensor.equals(m.tensor) || !o.key.equals(m.key)) {
                    throw new IllegalArgumentException("replicas disagree on moment '" + m.tensor + "/" + m.key + "'");
                }
                same.add(o.value);
            }
            mean.add(new Moment(m.tensor, m.key, HostArray.mean(same, weights)));
        }
        return encodeMoments(mean);
    }

    public static byte[] encodeArrays(List<HostArray> arrays) {
        return bytes(w -> {
            for (HostArray a : arrays) {
                w.out.writeByte(ARRAY);
                w.array(a);
            }
        });
    }

    public static List<HostArray> decodeArrays(byte[] bytes) {
        Assembler a = new Assembler();
        a.readBytes(bytes);
        return a.arrays;
    }

    public static byte[] encode(Selection s) {
        return bytes(w -> {
            for (Map.Entry<String, SubspaceRecord> e : s.subspaces().entrySet()) {
                w.out.writeByte(SELECT);
                w.str(e.getKey());
                w.subspace(e.getValue());
            }
        });
    }

    public static Selection decodeSelection(byte[] bytes) {
        Assembler a = new Assembler();
        a.readBytes(bytes);
        return new Selection(a.selection);
    }

    private static byte[] encodeMoments(List<Moment> moments) {
        return bytes(w -> {
            for (Moment m : moments) {
                w.moment(m.tensor, m.key, m.value);
            }
        });
    }

    /** Records of one small stream (a chunk: bounded by the caller's chunk size). */
    private static byte[] bytes(Body body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            Writer w = new Writer(bytes);
            body.write(w);
            w.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private interface Body {
        void write(Writer w) throws IOException;
    }

    private record Moment(String tensor, String key, HostArray value) {}

    /** Little-endian records onto a stream. */
    private static final class Writer {
        private final DataOutputStream out;

        Writer(OutputStream target) throws IOException {
            out = new DataOutputStream(target);
            out.write(MAGIC);
            out.writeInt(Integer.reverseBytes(VERSION));
        }

        void head(OptimizerState s) throws IOException {
            Counters c = s.counters();
            out.writeByte(COUNTERS);
            i64(c.calls());
            i64(c.reselections());
            i64(Double.doubleToRawLongBits(c.rho()));
            out.writeByte(c.rhoUpdated() ? 1 : 0);
            i32(c.updateGap());
            i64(c.selectorCursor());
            for (TensorRecord t : s.tensors()) {
                out.writeByte(TENSOR);
                str(t.name());
                i64(t.step());
                out.writeByte(t.inGroup() ? 1 : 0);
                subspace(t.subspace());
            }
        }

        void moment(String tensor, String key, HostArray value) throws IOException {
            out.writeByte(MOMENT);
            str(tensor);
            str(key);
            array(value);
        }

        void subspace(SubspaceRecord s) throws IOException {
            if (s instanceof BlockFlag b) {
                out.writeByte(1);
                out.writeByte(b.active() ? 1 : 0);
            } else if (s instanceof CoordinateSet c) {
                out.writeByte(2);
                out.writeByte(c.choice().ordinal());
                int[] idx = c.indices();
                i32(idx.length);
                for (int i : idx) {
                    i32(i);
                }
            } else {
                ProjectionBasis p = (ProjectionBasis) s;
                out.writeByte(3);
                out.writeByte((p.left() == null ? 0 : 1) | (p.right() == null ? 0 : 2));
                if (p.left() != null) {
                    array(p.left());
                }
                if (p.right() != null) {
                    array(p.right());
                }
            }
        }

        void array(HostArray a) throws IOException {
            out.writeByte(a.dtype().code());
            long[] shape = a.shape();
            out.writeByte(shape.length);
            for (long d : shape) {
                i64(d);
            }
            a.writeTo(out);
        }

        void str(String s) throws IOException {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            i32(b.length);
            out.write(b);
        }

        void i32(int v) throws IOException {
            out.writeInt(Integer.reverseBytes(v));
        }

        void i64(long v) throws IOException {
            out.writeLong(Long.reverseBytes(v));
        }

        void end() throws IOException {
            out.writeByte(END);
            out.flush();
        }
    }

    /** Collects the records of any number of streams. */
    private static final class Assembler {
        private Counters counters;
        private final Map<String, TensorRecord> headers = new LinkedHashMap<>();
        private final List<Moment> moments = new ArrayList<>();
        private final List<HostArray> arrays = new ArrayList<>();
        private final Map<String, SubspaceRecord> selection = new LinkedHashMap<>();
        private DataInputStream in;

        void readBytes(byte[] bytes) {
            try {
                read(new ByteArrayInputStream(bytes));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void read(InputStream stream) throws IOException {
            in = new DataInputStream(stream);
            checkHeader(in);
            for (int tag = in.readUnsignedByte(); tag != END; tag = in.readUnsignedByte()) {
                record(tag);
            }
        }

        void checkHeader(DataInputStream from) throws IOException {
            byte[] magic = new byte[MAGIC.length];
            from.readFully(magic);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw new IOException("not a frugal-spark state stream (magic " + new String(magic, StandardCharsets.ISO_8859_1) + ")");
            }
            int version = Integer.reverseBytes(from.readInt());
            if (version != VERSION) {
                throw new IOException("state format version " + version + " is not supported (this build reads " + VERSION + ")");
            }
        }

        private void record(int tag) throws IOException {
            switch (tag) {
                case COUNTERS -> counters = new Counters(i64(), i64(), Double.longBitsToDouble(i64()), in.readUnsignedByte() != 0,
                        i32(), i64());
                case TENSOR -> {
                    String name = str();
                    headers.put(name, new TensorRecord(name, i64(), in.readUnsignedByte() != 0, subspace(), Map.of()));
                }
                case MOMENT -> moments.add(new Moment(str(), str(), array()));
                case ARRAY -> arrays.add(array());
                case SELECT -> selection.put(str(), subspace());
                default -> throw new IOException("corrupt state stream: unknown record tag " + tag);
            }
        }

        OptimizerState state() {
            if (counters == null) {
                throw new IllegalArgumentException("state stream has no counters record");
            }
            Map<String, Map<String, HostArray>> byTensor = new LinkedHashMap<>();
            for (Moment m : moments) {
                if (!headers.containsKey(m.tensor)) {
                    throw new IllegalArgumentException("state has a moment '" + m.key + "' for unknown tensor '" + m.tensor + "'");
                }
                byTensor.computeIfAbsent(m.tensor, k -> new LinkedHashMap<>()).put(m.key, m.value);
            }
            List<TensorRecord> tensors = headers.values().stream()
                    .map(t -> t.withMoments(byTensor.getOrDefault(t.name(), Map.of()))).toList();
            return new OptimizerState(counters, tensors);
        }

        private SubspaceRecord subspace() throws IOException {
            int kind = in.readUnsignedByte();
            return switch (kind) {
                case 1 -> in.readUnsignedByte() != 0 ? BlockFlag.ACTIVE : BlockFlag.INACTIVE;
                case 2 -> {
                    CoordinateChoice choice = CoordinateChoice.values()[in.readUnsignedByte()];
                    int[] idx = new int[i32()];
                    for (int i = 0; i < idx.length; i++) {
                        idx[i] = i32();
                    }
                    yield new CoordinateSet(choice, idx);
                }
                case 3 -> {
                    int sides = in.readUnsignedByte();
                    HostArray left = (sides & 1) != 0 ? array() : null;
                    HostArray right = (sides & 2) != 0 ? array() : null;
                    yield new ProjectionBasis(left, right);
                }
                default -> throw new IOException("corrupt state stream: unknown subspace kind " + kind);
            };
        }

        private HostArray array() throws IOException {
            DType type = DType.of(in.readUnsignedByte());
            long[] shape = new long[in.readUnsignedByte()];
            for (int d = 0; d < shape.length; d++) {
                shape[d] = i64();
            }
            return HostArray.readFrom(in, type, shape);
        }

        private String str() throws IOException {
            byte[] b = new byte[i32()];
            in.readFully(b);
            return new String(b, StandardCharsets.UTF_8);
        }

        private int i32() throws IOException {
            return Integer.reverseBytes(in.readInt());
        }

        private long i64() throws IOException {
            return Long.reverseBytes(in.readLong());
        }
    }
}
