package io.frugalspark.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The safetensors format (8-byte little-endian header length, JSON header, raw little-endian data),
 * for F32, BF16, F64 and I64 tensors. Errors name the file and the tensor.
 */
public final class Safetensors {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_HEADER = 100L << 20;

    private Safetensors() {
    }

    /** One header entry. */
    public record Info(String dtype, long[] shape, long begin, long end) {
        long elements() {
            return Arrays.stream(shape).reduce(1, Math::multiplyExact);
        }
    }

    /** Tensors in header order; floating tensors converted to {@code floatType}, I64 kept as LONG. */
    public static Map<String, INDArray> read(Path file, DataType floatType) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Map<String, Info> header = header(file, ch);
            long dataStart = 8 + headerLength(file, ch);
            Map<String, INDArray> out = new LinkedHashMap<>();
            for (Map.Entry<String, Info> e : header.entrySet()) {
                Info info = e.getValue();
                ByteBuffer bytes = ByteBuffer.allocate(Math.toIntExact(info.end - info.begin)).order(ByteOrder.LITTLE_ENDIAN);
                ch.read(bytes, dataStart + info.begin);
                bytes.flip();
                out.put(e.getKey(), decode(bytes, info, floatType));
            }
            return out;
        }
    }

    /** The header alone, validated against the file size. */
    public static Map<String, Info> header(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return header(file, ch);
        }
    }

    /** Writes tensors in map order; floating tensors as {@code floatType} (FLOAT, BFLOAT16 or DOUBLE). */
    public static void write(Path file, Map<String, INDArray> tensors, DataType floatType) throws IOException {
        String dtypeName = switch (floatType) {
            case FLOAT -> "F32";
            case BFLOAT16 -> "BF16";
            case DOUBLE -> "F64";
            default -> throw new IllegalArgumentException("safetensors export supports FLOAT, BFLOAT16, DOUBLE, not " + floatType);
        };
        ObjectNode head = JSON.createObjectNode();
        head.putObject("__metadata__").put("format", "pt");
        long offset = 0;
        for (Map.Entry<String, INDArray> e : tensors.entrySet()) {
            INDArray a = e.getValue();
            boolean isLong = a.dataType() == DataType.LONG;
            long bytes = a.length() * (isLong ? 8 : width(dtypeName));
            ObjectNode t = head.putObject(e.getKey());
            t.put("dtype", isLong ? "I64" : dtypeName);
            t.putPOJO("shape", a.shape());
            t.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] json = JSON.writeValueAsString(head).getBytes(StandardCharsets.UTF_8);
        int pad = (8 - json.length % 8) % 8;   // keeps the data 8-byte aligned, as the reference writer does
        byte[] headerBytes = Arrays.copyOf(json, json.length + pad);
        Arrays.fill(headerBytes, json.length, headerBytes.length, (byte) ' ');
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream os = Files.newOutputStream(tmp)) {
            os.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(headerBytes.length).array());
            os.write(headerBytes);
            for (INDArray a : tensors.values()) os.write(encode(a, a.dataType() == DataType.LONG ? "I64" : dtypeName));
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }

    private static long headerLength(Path file, FileChannel ch) throws IOException {
        ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        if (ch.read(len, 0) != 8) throw new IOException(file + ": not a safetensors file (shorter than 8 bytes)");
        long n = len.getLong(0);
        if (n <= 0 || n > MAX_HEADER || 8 + n > ch.size())
            throw new IOException(file + ": truncated or corrupt safetensors header (header length " + n
                    + ", file size " + ch.size() + ")");
        return n;
    }

    private static Map<String, Info> header(Path file, FileChannel ch) throws IOException {
        long n = headerLength(file, ch);
        ByteBuffer json = ByteBuffer.allocate((int) n);
        ch.read(json, 8);
        JsonNode root;
        try {
            root = JSON.readTree(new String(json.array(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IOException(file + ": safetensors header is not valid JSON: " + e.getMessage(), e);
        }
        long dataSize = ch.size() - 8 - n;
        Map<String, Info> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("__metadata__")) continue;
            JsonNode t = e.getValue();
            String where = file + ": tensor '" + e.getKey() + "'";
            if (!t.has("dtype") || !t.has("shape") || !t.has("data_offsets"))
                throw new IOException(where + " lacks dtype, shape or data_offsets");
            long[] shape = new long[t.get("shape").size()];
            for (int i = 0; i < shape.length; i++) shape[i] = t.get("shape").get(i).asLong();
            Info info = new Info(t.get("dtype").asText(), shape, t.get("data_offsets").get(0).asLong(),
                    t.get("data_offsets").get(1).asLong());
            int w = width(info.dtype, where);
            if (info.begin < 0 || info.end > dataSize || info.end - info.begin != info.elements() * w)
                throw new IOException(where + " has data_offsets [" + info.begin + ", " + info.end
                        + ") that do not fit shape " + Arrays.toString(shape) + " of " + info.dtype
                        + " within " + dataSize + " data bytes (truncated file?)");
            out.put(e.getKey(), info);
        }
        return out;
    }

    private static int width(String dtype) {
        return switch (dtype) {
            case "F32" -> 4;
            case "BF16" -> 2;
            case "F64", "I64" -> 8;
            default -> -1;
        };
    }

    private static int width(String dtype, String where) throws IOException {
        int w = width(dtype);
        if (w < 0) throw new IOException(where + " has unsupported dtype " + dtype + " (supported: F32, BF16, F64, I64)");
        return w;
    }

    private static INDArray decode(ByteBuffer b, Info info, DataType floatType) {
        int n = Math.toIntExact(info.elements());
        INDArray flat = switch (info.dtype) {
            case "I64" -> {
                long[] v = new long[n];
                b.asLongBuffer().get(v);
                yield Nd4j.createFromArray(v);
            }
            case "F64" -> {
                double[] v = new double[n];
                b.asDoubleBuffer().get(v);
                yield Nd4j.createFromArray(v).castTo(floatType);
            }
            case "F32" -> {
                float[] v = new float[n];
                b.asFloatBuffer().get(v);
                yield Nd4j.createFromArray(v).castTo(floatType);
            }
            default -> {   // BF16: the high half of a float32
                float[] v = new float[n];
                for (int i = 0; i < n; i++) v[i] = Float.intBitsToFloat((b.getShort() & 0xFFFF) << 16);
                yield Nd4j.createFromArray(v).castTo(floatType);
            }
        };
        return info.shape.length == 0 ? flat.reshape() : flat.reshape('c', info.shape);
    }

    private static byte[] encode(INDArray a, String dtype) {
        INDArray c = a.dup('c');
        int n = Math.toIntExact(c.length());
        ByteBuffer b = ByteBuffer.allocate(n * width(dtype)).order(ByteOrder.LITTLE_ENDIAN);
        switch (dtype) {
            case "I64" -> b.asLongBuffer().put(c.data().asLong());
            case "F64" -> b.asDoubleBuffer().put(c.castTo(DataType.DOUBLE).data().asDouble());
            case "F32" -> b.asFloatBuffer().put(c.castTo(DataType.FLOAT).data().asFloat());
            default -> {
                for (float f : c.castTo(DataType.FLOAT).data().asFloat()) b.putShort(toBf16(f));
            }
        }
        return b.array();
    }

    /** Round to nearest even, as torch's float -> bfloat16 conversion; NaN stays NaN. */
    static short toBf16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if (Float.isNaN(f)) return (short) ((bits >>> 16) | 0x40);
        return (short) ((bits + 0x7FFF + ((bits >>> 16) & 1)) >>> 16);
    }
}
