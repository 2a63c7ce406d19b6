package io.frugalspark.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class SLTrainTest {
    static final LlamaConfig CFG = LlamaConfig.preset("tiny", 50, 16).toBuilder().sltrain(true).slRank(4).slAlpha(8).slDelta(0.05).build();

    @TempDir
    Path dir;

    static Parameter find(LlamaModel m, String name) {
        return m.parameters().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void initAndSupportFollowSection10() {
        LlamaModel m = LlamaModel.init(CFG, 3, DataType.DOUBLE);
        String p = "model.layers.1.mlp.down_proj.";   // [64, 172]
        assertEquals(0, find(m, p + "lowrank_B").value().amaxNumber().doubleValue());
        INDArray a = find(m, p + "lowrank_A").value();
        assertArrayEquals(new long[]{4, 172}, a.shape());
        double bound = 1 / Math.sqrt(172);
        assertTrue(a.amaxNumber().doubleValue() <= bound && a.amaxNumber().doubleValue() > 0.9 * bound);
        long[] support = find(m, p + "sparse_support").value().toLongVector();
        assertEquals((long) Math.floor(0.05 * 64 * 172), support.length);
        for (int i = 1; i < support.length; i++) assertTrue(support[i] > support[i - 1], "sorted and distinct");
        assertTrue(support[support.length - 1] < 64 * 172);
        // the support depends on the SLTrain seed only, so every replica and a re-init agree
        assertArrayEquals(support, find(LlamaModel.init(CFG, 99, DataType.FLOAT), p + "sparse_support").value().toLongVector());
        assertTrue(!find(m, p + "sparse_support").trainable());
        assertEquals(List.of("lowrank_B", "lowrank_A", "sparse_values", "sparse_support"),
                m.parameters().stream().map(Parameter::name).filter(n -> n.startsWith(p)).map(n -> n.substring(p.length())).toList());
    }

    @Test
    void denseExportEqualsScaledLowRankPlusSparseAndLoadsIntoADenseModel() throws IOException {
        LlamaModel m = LlamaModel.init(CFG, 3, DataType.DOUBLE);
        String p = "model.layers.0.self_attn.v_proj.";
        INDArray b = find(m, p + "lowrank_B").value().assign(Nd4j.rand(DataType.DOUBLE, 64, 4));
        INDArray a = find(m, p + "lowrank_A").value();
        INDArray v = find(m, p + "sparse_values").value();
        long[] support = find(m, p + "sparse_support").value().toLongVector();
        INDArray expected = b.mmul(a).muli(8.0 / 4);
        for (int i = 0; i < support.length; i++) {
            long r = support[i] / 64, c = support[i] % 64;
            expected.putScalar(r, c, expected.getDouble(r, c) + v.getDouble(i));
        }
        Map<String, INDArray> dense = m.exportDenseWeights();
        assertEquals(expected, dense.get(p + "weight"));

        Path file = dir.resolve("dense.safetensors");
        m.saveSafetensors(file, DataType.DOUBLE);
        LlamaModel plain = LlamaModel.fromSafetensors(CFG.toBuilder().sltrain(false).build(), file, DataType.DOUBLE);
        int[][] in = {{1, 2, 3, 4, 5, 6}};
        GoldenTest.assertClose("logits", m.logits(in), plain.logits(in), 1e-12);

        Path raw = dir.resolve("raw.safetensors");
        m.saveParameters(raw, DataType.DOUBLE);
        GoldenTest.assertClose("reloaded logits", m.logits(in), LlamaModel.fromSafetensors(CFG, raw, DataType.DOUBLE).logits(in), 1e-15);
    }
}
