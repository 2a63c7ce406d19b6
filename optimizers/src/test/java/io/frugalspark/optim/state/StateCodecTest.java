package io.frugalspark.optim.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.frugalspark.optim.state.OptimizerState.Counters;
import io.frugalspark.optim.state.SubspaceRecord.BlockFlag;
import io.frugalspark.optim.state.SubspaceRecord.CoordinateSet;
import io.frugalspark.optim.state.SubspaceRecord.ProjectionBasis;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The state format: exact round trips, chunking, averaging, byte layout, bad input, and no 2 GiB limit. */
class StateCodecTest {

    private static HostArray floats(SplittableRandom r, long... shape) {
        HostArray a = HostArray.zeros(DType.F32, shape);
        float[] v = new float[(int) a.numel()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return HostArray.ofFloats(shape, v);
    }

    private static HostArray doubles(SplittableRandom r, long... shape) {
        HostArray a = HostArray.zeros(DType.F64, shape);
        ByteBuffer b = ByteBuffer.allocate((int) a.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            b.putDouble(r.nextGaussian());
        }
        return new HostArray(DType.F64, shape, b.flip());
    }

    /** Every kind of record: block flags, a coordinate set, one- and two-sided bases, float and double moments. */
    static OptimizerState rich(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<TensorRecord> t = new ArrayList<>();
        t.add(new TensorRecord("q", 3, true, BlockFlag.ACTIVE, Map.of("exp_avg", floats(r, 4, 6), "exp_avg_sq", floats(r, 4, 6))));
        t.add(new TensorRecord("k", 3, true, BlockFlag.INACTIVE, Map.of()));
        t.add(new TensorRecord("up", 1, true, new CoordinateSet(CoordinateChoice.COLUMNS, new int[] {5, 0, 2}),
                Map.of("exp_avg", doubles(r, 8, 3))));
        t.add(new TensorRecord("down", 2, true, new ProjectionBasis(null, floats(r, 2, 8)), Map.of("exp_avg", floats(r, 6, 2))));
        t.add(new TensorRecord("o", 2, true, new ProjectionBasis(floats(r, 6, 2), floats(r, 2, 6)), Map.of("exp_avg", floats(r, 2, 2))));
        t.add(new TensorRecord("embed", 7, false, BlockFlag.ACTIVE, Map.of("exp_avg", floats(r, 10, 4))));
        return new OptimizerState(new Counters(7, 3, 0.25, true, 200, 5), t);
    }

    private static List<byte[]> chunks(OptimizerState s) {
        List<byte[]> out = new ArrayList<>(List.of(StateCodec.encodeHead(s)));
        out.addAll(StateCodec.encodeMoments(s, 100));
        return out;
    }

    private static byte[] bytes(OptimizerState s) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StateCodec.write(s, out);
        return out.toByteArray();
    }

    private static OptimizerState read(byte[] b) throws IOException {
        return StateCodec.read(new ByteArrayInputStream(b));
    }

    @Test
    void aStateRoundTripsExactly() throws IOException {
        OptimizerState s = rich(1);
        byte[] b = bytes(s);
        OptimizerState back = read(b);
        assertEquals(s, back);
        assertArrayEquals(b, bytes(back));
        assertEquals(s.bytes(), back.bytes());
        assertEquals(new CoordinateSet(CoordinateChoice.COLUMNS, new int[] {5, 0, 2}), back.tensor("up").orElseThrow().subspace());
    }

    @Test
    void valuesAndHeaderAreLittleEndian() throws IOException {
        OptimizerState s = new OptimizerState(new Counters(1, 0, 0.5, false, 9, -1), List.of(
                new TensorRecord("w", 1, false, BlockFlag.ACTIVE, Map.of("m", HostArray.ofFloats(new long[] {1}, 1.0f)))));
        byte[] b = bytes(s);
        assertArrayEquals(new byte[] {'F', 'R', 'S', 'T', 1, 0, 0, 0}, Arrays.copyOf(b, 8), "magic, then version 1 as int32 LE");
        // the moment's payload is the stream's last 4 bytes before the END tag: 1.0f = 0x3f800000
        assertArrayEquals(new byte[] {0, 0, (byte) 0x80, 0x3f, 0}, Arrays.copyOfRange(b, b.length - 5, b.length));
    }

    @Test
    void chunksReassembleInAnyOrderAndAverageLikeTheWholeState() throws IOException {
        OptimizerState a = rich(1);
        OptimizerState b = rich(2);
        List<byte[]> moments = StateCodec.encodeMoments(a, 100);
        assertTrue(moments.size() >= 5, "a 100-byte limit splits the moments: " + moments.size());
        List<byte[]> reversed = new ArrayList<>(moments);
        java.util.Collections.reverse(reversed);
        reversed.add(StateCodec.encodeHead(a));
        assertEquals(a, StateCodec.decodeChunks(reversed));

        List<byte[]> bm = StateCodec.encodeMoments(b, 100);
        List<byte[]> mean = new ArrayList<>(List.of(StateCodec.encodeHead(a)));
        for (int i = 0; i < moments.size(); i++) {
            mean.add(StateCodec.averageMoments(List.of(moments.get(i), bm.get(i)), new double[] {1, 1}));
        }
        OptimizerState avg = StateCodec.decodeChunks(mean);
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        StateCodec.writeChunks(reversed.subList(reversed.size() - 1, reversed.size()), joined);
        assertEquals(StateCodec.decodeChunks(reversed.subList(reversed.size() - 1, reversed.size())), read(joined.toByteArray()));
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        StateCodec.writeChunks(StateCodecTest.chunks(a), whole);
        assertArrayEquals(bytes(a), whole.toByteArray(), "chunks joined are the whole state's stream, byte for byte");
        assertEquals(OptimizerState.average(List.of(a, b)), avg);
        // independent arithmetic: (a + b) / 2 in float32, element by element
        ByteBuffer x = a.tensor("q").orElseThrow().moments().get("exp_avg").data();
        ByteBuffer y = b.tensor("q").orElseThrow().moments().get("exp_avg").data();
        ByteBuffer m = avg.tensor("q").orElseThrow().moments().get("exp_avg").data();
        for (int i = 0; i < 24; i++) {
            assertEquals((x.getFloat(4 * i) + y.getFloat(4 * i)) / 2f, m.getFloat(4 * i));
        }
        assertEquals(a.tensor("up").orElseThrow().subspace(), avg.tensor("up").orElseThrow().subspace(), "selections are copied");
    }

    @Test
    void replicasThatDisagreeAreRefusedByName() {
        OptimizerState a = rich(1);
        OptimizerState other = a.with(new TensorRecord("q", 3, true, BlockFlag.ACTIVE, Map.of("exp_avg", HostArray.zeros(DType.F32, 3, 3))));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OptimizerState.average(List.of(a, other)));
        assertTrue(e.getMessage().contains("q/exp_avg"), e.getMessage());
    }

    @Test
    void badStreamsAreRefusedWithAReason() throws IOException {
        IOException magic = assertThrows(IOException.class, () -> read("JUNKJUNKJUNK".getBytes()));
        assertTrue(magic.getMessage().contains("not a frugal-spark state stream"), magic.getMessage());
        byte[] b = bytes(rich(1));
        byte[] future = b.clone();
        future[4] = 2;
        IOException version = assertThrows(IOException.class, () -> read(future));
        assertTrue(version.getMessage().contains("version 2"), version.getMessage());
        assertThrows(EOFException.class, () -> read(Arrays.copyOf(b, b.length / 2)));
        byte[] tag = b.clone();
        tag[8] = 42; // the first record's tag
        IOException unknown = assertThrows(IOException.class, () -> read(tag));
        assertTrue(unknown.getMessage().contains("unknown record tag 42"), unknown.getMessage());
    }

    @Test
    void selectionsAndArrayListsTravelInTheSameFormat() throws Exception {
        Map<String, SubspaceRecord> m = new LinkedHashMap<>();
        rich(3).tensors().forEach(t -> m.put(t.name(), t.subspace()));
        Selection s = new Selection(m);
        assertEquals(s, StateCodec.decodeSelection(StateCodec.encode(s)));
        ByteArrayOutputStream java = new ByteArrayOutputStream();
        try (var out = new java.io.ObjectOutputStream(java)) {
            out.writeObject(s);
        }
        try (var in = new java.io.ObjectInputStream(new ByteArrayInputStream(java.toByteArray()))) {
            assertEquals(s, in.readObject(), "Java serialization goes through the codec");
        }
        List<HostArray> arrays = List.of(floats(new SplittableRandom(4), 3, 5), doubles(new SplittableRandom(5), 7));
        assertEquals(arrays, StateCodec.decodeArrays(StateCodec.encodeArrays(arrays)));
    }

    /**
     * 17 tensors of 128 MiB: a 2.1 GiB stream through an OS pipe, so nothing holds the encoded bytes. The
     * written state shares one pattern buffer (128 MiB); only the decoded copy is whole (2.1 GiB of heap).
     */
    @Test
    void aStateAboveTwoGibibytesStreamsThroughExactly() throws Exception {
        int n = 128 << 20;
        ByteBuffer pattern = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n / 4; i++) {
            pattern.putFloat(4 * i, i * 0.5f);
        }
        List<TensorRecord> tensors = new ArrayList<>();
        for (int t = 0; t < 17; t++) {
            HostArray shared = new HostArray(DType.F32, new long[] {n / 4 / 1024, 1024}, pattern.duplicate());
            tensors.add(new TensorRecord("t" + t, t, t % 2 == 0, BlockFlag.ACTIVE, Map.of("exp_avg", shared)));
        }
        OptimizerState big = new OptimizerState(new Counters(1, 1, 1.0, false, 200, -1), tensors);
        assertTrue(big.bytes() > (1L << 31), "more than 2^31 bytes: " + big.bytes());
        Pipe pipe = Pipe.open();
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try (OutputStream out = Channels.newOutputStream(pipe.sink())) {
                StateCodec.write(big, out);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        OptimizerState back;
        try (InputStream in = Channels.newInputStream(pipe.source())) {
            back = StateCodec.read(in);
        }
        writer.get();
        assertEquals(big.names(), back.names());
        for (TensorRecord t : back.tensors()) {
            assertEquals(big.tensor(t.name()).orElseThrow().step(), t.step());
            assertEquals(pattern.duplicate().clear(), t.moments().get("exp_avg").data(), t.name());
        }
        assertEquals(big.counters(), back.counters());
    }

    @Test
    void theFormatClassesUseNoTensorLibrary() throws IOException {
        Path dir = Path.of("src/main/java/io/frugalspark/optim/state");
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                for (String line : Files.readAllLines(f)) {
                    if (line.startsWith("import ")) {
                        assertTrue(line.startsWith("import java.") || line.startsWith("import io.frugalspark.optim.state."),
                                f.getFileName() + ": " + line);
                    }
                    assertTrue(!line.contains("org.nd4j"), f.getFileName() + ": " + line);
                }
            }
        }
    }
}
