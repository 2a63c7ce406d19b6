package io.frugalspark.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.frugalspark.optim.rule.SinkGd;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * SR-Sinkhorn against PyTorch float64 written from the spec (src/test/python/sinkgd_golden.py):
 * row and column norms and 256 sampled entries, on shapes that split into many row chunks, rows
 * longer than a staging chunk, masked columns, 1 and 20 iterations; float64 in both memory orders,
 * float32 at single-precision tolerance, and through {@code apply} into a target.
 */
class SinkGdGoldenTest {

    static List<JsonNode> cases() throws IOException {
        try (InputStream in = SinkGdGoldenTest.class.getResourceAsStream("/sinkgd-golden.json")) {
            List<JsonNode> out = new ArrayList<>();
            new ObjectMapper().readTree(in).get("cases").forEach(out::add);
            return out;
        }
    }

    /** The generator's closed-form input: sin of integer arguments, rows spanning three orders. */
    private static INDArray matrix(JsonNode c) {
        int m = c.get("rows").asInt();
        int n = c.get("cols").asInt();
        double[][] g = new double[m][n];
        for (int i = 0; i < m; i++) {
            double scale = Math.pow(10.0, 3.0 * i / Math.max(1, m - 1));
            for (int j = 0; j < n; j++) {
                g[i][j] = Math.sin(i * 12.9898 + j * 78.233 + 0.5) * scale;
            }
        }
        c.get("zero_cols").forEach(z -> {
            for (double[] row : g) {
                row[z.asInt()] = 0.0;
            }
        });
        return Nd4j.createFromArray(g);
    }

    private static void assertMatches(JsonNode c, INDArray x, double tol) {
        String name = c.get("name").asText();
        assertClose(c.get("row_norms"), x.norm2(1), tol, name + " row norms");
        assertClose(c.get("col_norms"), x.norm2(0), tol, name + " column norms");
        JsonNode samples = c.get("samples");
        int m = c.get("rows").asInt();
        int n = c.get("cols").asInt();
        for (int k = 0; k < samples.size(); k++) {
            double want = samples.get(k).asDouble();
            double got = x.getDouble((k * 7919L) % m, (k * 104729L) % n);
            assertEquals(want, got, tol * Math.max(1, Math.abs(want)), name + " sample " + k);
        }
    }

    private static void assertClose(JsonNode want, INDArray got, double tol, String what) {
        assertEquals(want.size(), got.length(), what);
        for (int i = 0; i < want.size(); i++) {
            double w = want.get(i).asDouble();
            assertEquals(w, got.getDouble(i), tol * Math.max(1, Math.abs(w)), what + " [" + i + "]");
        }
    }

    private static SinkGd rule(JsonNode c) {
        return new SinkGd(c.get("iterations").asInt());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void float64RowMajorMatchesTorch(JsonNode c) {
        INDArray g = matrix(c);
        assertMatches(c, rule(c).normalise(g, g.like()), 1e-12);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void float64ColumnMajorInputMatchesTorch(JsonNode c) {
        INDArray g = matrix(c).dup('f');
        assertMatches(c, rule(c).normalise(g, Nd4j.create(DataType.DOUBLE, g.shape(), 'c')), 1e-12);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void float32MatchesTorchAtSinglePrecision(JsonNode c) {
        INDArray g = matrix(c).castTo(DataType.FLOAT);
        assertMatches(c, rule(c).normalise(g, g.like()).castTo(DataType.DOUBLE), 2e-5);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void applyAddsMinusLrTimesXToAColumnMajorTarget(JsonNode c) {
        INDArray g = matrix(c);
        INDArray target = Nd4j.create(DataType.DOUBLE, g.shape(), 'f').assign(1.0);
        double sq = rule(c).apply(g, 0.5, target, g.like());
        INDArray x = target.rsub(1.0).divi(0.5); // target = 1 - 0.5 X
        assertMatches(c, x, 1e-12);
        assertEquals(0.25 * x.norm2Number().doubleValue() * x.norm2Number().doubleValue(), sq, 1e-12 * sq);
    }
}
