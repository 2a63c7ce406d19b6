package io.frugalspark.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class SafetensorsTest {
    @TempDir
    Path dir;

    @Test
    void bf16ExportIsBitIdenticalToTorchsRounding() throws IOException {
        LlamaModel m = LlamaModel.fromSafetensors(GoldenTest.CFG, GoldenTest.resource("weights.safetensors"), DataType.FLOAT);
        Path mine = dir.resolve("mine-bf16.safetensors");
        m.saveSafetensors(mine, DataType.BFLOAT16);
        Map<String, INDArray> ours = Safetensors.read(mine, DataType.FLOAT);
        Map<String, INDArray> torch = Safetensors.read(GoldenTest.resource("weights-bf16.safetensors"), DataType.FLOAT);
        assertEquals(torch.keySet(), ours.keySet());
        for (String name : torch.keySet()) assertEquals(torch.get(name), ours.get(name), name);
        assertEquals(Files.size(GoldenTest.resource("weights-bf16.safetensors")), Files.size(mine));
    }

    @Test
    void float32RoundTripIsExactAndKeepsHuggingFaceOrder() throws IOException {
        LlamaModel a = LlamaModel.init(GoldenTest.CFG, 5, DataType.FLOAT);
        Path file = dir.resolve("w.safetensors");
        a.saveSafetensors(file, DataType.FLOAT);
        LlamaModel b = LlamaModel.fromSafetensors(GoldenTest.CFG, file, DataType.FLOAT);
        assertEquals(a.parameters().stream().map(Parameter::name).toList(),
                Safetensors.header(file).keySet().stream().toList());
        for (int i = 0; i < a.parameters().size(); i++)
            assertEquals(a.parameters().get(i).value(), b.parameters().get(i).value());
    }

    @Test
    void missingTensorIsNamed() throws IOException {
        Map<String, INDArray> w = Safetensors.read(GoldenTest.resource("weights.safetensors"), DataType.FLOAT);
        w.remove("model.layers.1.mlp.down_proj.weight");
        assertLoadFails(w, "missing tensor 'model.layers.1.mlp.down_proj.weight'");
    }

    @Test
    void wrongShapeIsNamed() throws IOException {
        Map<String, INDArray> w = Safetensors.read(GoldenTest.resource("weights.safetensors"), DataType.FLOAT);
        w.put("model.layers.0.self_attn.k_proj.weight", w.get("model.layers.0.self_attn.k_proj.weight").transpose().getColumns(0, 1));
        assertLoadFails(w, "'model.layers.0.self_attn.k_proj.weight' has shape [32, 2]");
    }

    @Test
    void unexpectedTensorIsNamed() throws IOException {
        Map<String, INDArray> w = Safetensors.read(GoldenTest.resource("weights.safetensors"), DataType.FLOAT);
        w.put("model.layers.2.input_layernorm.weight", w.get("model.norm.weight"));
        assertLoadFails(w, "unexpected tensor 'model.layers.2.input_layernorm.weight'");
    }

    @Test
    void unsupportedDtypeIsNamed() throws IOException {
        Path file = rewriteHeader(h -> h.replaceFirst("\"model.norm.weight\":\\{\"dtype\":\"F32\"", "\"model.norm.weight\":{\"dtype\":\"F16\""));
        IOException e = assertThrows(IOException.class, () -> Safetensors.read(file, DataType.FLOAT));
        assertTrue(e.getMessage().contains("'model.norm.weight' has unsupported dtype F16"), e.getMessage());
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }

    @Test
    void truncatedFilesFailClearly() throws IOException {
        byte[] all = Files.readAllBytes(GoldenTest.resource("weights.safetensors"));
        Path headerCut = dir.resolve("cut-header.safetensors");
        Files.write(headerCut, Arrays.copyOf(all, 100));
        IOException e = assertThrows(IOException.class, () -> Safetensors.read(headerCut, DataType.FLOAT));
        assertTrue(e.getMessage().contains("truncated or corrupt safetensors header"), e.getMessage());

        Path dataCut = dir.resolve("cut-data.safetensors");
        Files.write(dataCut, Arrays.copyOf(all, all.length - 4));
        e = assertThrows(IOException.class, () -> Safetensors.read(dataCut, DataType.FLOAT));
        assertTrue(e.getMessage().contains("tensor 'lm_head.weight'") && e.getMessage().contains("truncated file?"), e.getMessage());
    }

    private void assertLoadFails(Map<String, INDArray> tensors, String expected) throws IOException {
        Path file = dir.resolve("bad.safetensors");
        Safetensors.write(file, tensors, DataType.FLOAT);
        IOException e = assertThrows(IOException.class, () -> LlamaModel.fromSafetensors(GoldenTest.CFG, file, DataType.FLOAT));
        assertTrue(e.getMessage().contains(expected) && e.getMessage().contains(file.toString()), e.getMessage());
    }

    /** A copy of the golden weights whose JSON header is edited (same length, so offsets stay valid). */
    private Path rewriteHeader(java.util.function.UnaryOperator<String> edit) throws IOException {
        byte[] all = Files.readAllBytes(GoldenTest.resource("weights.safetensors"));
        int n = (int) ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        byte[] header = edit.apply(new String(all, 8, n, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        assertEquals(n, header.length);
        System.arraycopy(header, 0, all, 8, n);
        Path file = dir.resolve("edited.safetensors");
        Files.write(file, all);
        return file;
    }

    @Test
    void longTensorsRoundTrip() throws IOException {
        Map<String, INDArray> m = new LinkedHashMap<>();
        m.put("ids", org.nd4j.linalg.factory.Nd4j.createFromArray(3L, 1L << 40, -7L));
        Path file = dir.resolve("ids.safetensors");
        Safetensors.write(file, m, DataType.FLOAT);
        assertArrayEquals(new long[]{3L, 1L << 40, -7L}, Safetensors.read(file, DataType.FLOAT).get("ids").toLongVector());
    }
}
