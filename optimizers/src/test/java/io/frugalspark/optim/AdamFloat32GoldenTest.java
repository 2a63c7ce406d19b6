package io.frugalspark.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.frugalspark.optim.rule.Adam;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The adamw preset on a float32 tensor against torch.optim.AdamW (src/test/python/adamw_float32_golden.py):
 * six steps on exact inputs spanning twelve orders of magnitude, parameters after every step and both
 * moments after the last, compared bit for bit (the kernel does torch's float32 operations in torch's order).
 */
class AdamFloat32GoldenTest {
    private static JsonNode golden;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = AdamFloat32GoldenTest.class.getResourceAsStream("/adamw-float32-golden.json")) {
            golden = new ObjectMapper().readTree(in);
        }
    }

    /** The generator's input: 24 bits of a multiplicative hash over 2^23, times 2^-(4 (i mod 10)); exact in float32. */
    private static INDArray hashed(int n, long salt) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            long h = ((i * 2654435761L + salt * 40503L) % (1L << 32)) >> 8;
            x[i] = (float) ((h - (1 << 23)) / (double) (1 << 23) * Math.pow(2, -4 * (i % 10)));
        }
        return Nd4j.createFromArray(x);
    }

    private static float[] floats(JsonNode bits) {
        float[] out = new float[bits.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = Float.intBitsToFloat((int) bits.get(i).asLong());
        }
        return out;
    }

    /** Fails with how many elements differ and by how many float32 steps at most. */
    private static void assertSameBits(JsonNode want, INDArray got, String what) {
        float[] w = floats(want);
        float[] g = got.toFloatVector();
        assertEquals(w.length, g.length, what);
        int differ = 0;
        long maxUlps = 0;
        int first = -1;
        for (int i = 0; i < w.length; i++) {
            if (Float.floatToIntBits(w[i]) != Float.floatToIntBits(g[i])) {
                differ++;
                maxUlps = Math.max(maxUlps, Math.abs((long) Float.floatToIntBits(w[i]) - Float.floatToIntBits(g[i])));
                first = first < 0 ? i : first;
            }
        }
        assertEquals(0, differ, what + ": " + differ + " of " + w.length + " elements differ from torch's, by up to "
                + maxUlps + " ulp (first at " + first + ")");
    }

    @Test
    void adamwOnFloat32MatchesTorchBitForBit() {
        int n = golden.get("n").asInt();
        Frugal adamw = Presets.create("adamw", golden.get("weight_decay").asDouble(), 0, null, null);
        INDArray w = hashed(n, 0);
        for (int t = 1; t <= golden.get("steps").asInt(); t++) {
            adamw.step(List.of(new ParamRef("w", Role.OTHER, w, hashed(n, t))), golden.get("lr").asDouble());
            assertSameBits(golden.get("params").get(t - 1), w, "parameters after step " + t);
        }
        assertSameBits(golden.get("exp_avg"), adamw.tensorState("w").moment(Adam.EXP_AVG), "exp_avg");
        assertSameBits(golden.get("exp_avg_sq"), adamw.tensorState("w").moment(Adam.EXP_AVG_SQ), "exp_avg_sq");
    }
}
