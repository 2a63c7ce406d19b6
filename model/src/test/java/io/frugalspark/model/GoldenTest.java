package io.frugalspark.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Loss, logits and every gradient against src/test/python/llama_reference.py (plain PyTorch,
 * float64 on the float32 weights of golden/weights.safetensors).
 */
class GoldenTest {
    static final LlamaConfig CFG = LlamaConfig.builder().shape(32, 88, 2, 2).vocabSize(61).maxSeqLen(16).build();
    static final int PAD = 0;

    static Path resource(String name) {
        try {
            return Path.of(GoldenTest.class.getResource("/golden/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void float32MatchesPyTorchWithin1e5() throws IOException {
        assertMatchesGolden(CFG, DataType.FLOAT, 1e-5);
    }

    @Test
    void float64MatchesPyTorchWithin1e10() throws IOException {
        assertMatchesGolden(CFG, DataType.DOUBLE, 1e-10);
    }

    /** 12 positions in attention row blocks of 5 (5 + 5 + 2), with the golden batch's padding. */
    @Test
    void blockedAttentionMatchesPyTorchWithin1e10() throws IOException {
        assertMatchesGolden(CFG.toBuilder().attentionBlock(5).build(), DataType.DOUBLE, 1e-10);
    }

    private static void assertMatchesGolden(LlamaConfig cfg, DataType dtype, double tol) throws IOException {
        Map<String, INDArray> golden = Safetensors.read(resource("golden.safetensors"), DataType.DOUBLE);
        int[][] tokens = golden.get("tokens").toIntMatrix();
        LlamaModel m = LlamaModel.fromSafetensors(cfg, resource("weights.safetensors"), dtype);

        int[][] inputs = Arrays.stream(tokens).map(r -> Arrays.copyOf(r, r.length - 1)).toArray(int[][]::new);
        assertClose("logits", golden.get("logits"), m.logits(inputs), tol);
        LossResult r = m.forwardBackward(tokens, PAD);
        assertEquals(golden.get("count").getLong(0), r.count());
        double expected = golden.get("loss").getDouble(0);
        assertEquals(expected, r.mean(), tol * expected, "loss");
        for (Parameter p : m.parameters())
            assertClose("grad of " + p.name(), golden.get("grad." + p.name()), p.grad(), tol);
    }

    /** Relative error in the Frobenius norm, so entries near zero do not dominate. */
    static void assertClose(String what, INDArray expected, INDArray actual, double tol) {
        assertTrue(Arrays.equals(expected.shape(), actual.shape()), what + ": shape " + Arrays.toString(actual.shape()));
        INDArray a = actual.castTo(DataType.DOUBLE);
        double err = a.sub(expected).norm2Number().doubleValue() / expected.norm2Number().doubleValue();
        System.out.printf("%s: relative error %.3g%n", what, err);
        assertTrue(err < tol, what + ": relative error " + err + " >= " + tol);
    }
}
