package io.frugalspark.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.frugalspark.optim.rule.SinkGd;
import io.frugalspark.optim.rule.Swan;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** SR-Sinkhorn and SWAN against their defining properties (section 9). */
class StatelessRulesTest {

    private static INDArray gaussian(long seed, long m, long n) {
        // a badly scaled gradient: rows spanning three orders of magnitude
        INDArray g = Nd4j.randn(seed, new long[] {m, n}).castTo(DataType.DOUBLE);
        double[] scale = new double[(int) m];
        for (int i = 0; i < m; i++) {
            scale[i] = Math.pow(10, 3.0 * i / (m - 1));
        }
        return g.muliColumnVector(Nd4j.createFromArray(scale).reshape(m, 1));
    }

    @Test
    void sinkhornColumnsAreExactAndRowsConvergeToSqrtN() {
        INDArray g = gaussian(3, 12, 40);
        double prev = Double.MAX_VALUE;
        for (int iters : new int[] {1, 2, 5, 20}) {
            INDArray x = new SinkGd(iters).normalise(g, g.like());
            INDArray cols = x.norm2(0);
            assertEquals(0, cols.sub(Math.sqrt(12)).amaxNumber().doubleValue(), 1e-12);
            assertEquals(Math.sqrt(12 * 40), x.norm2Number().doubleValue(), 1e-10);
            double rowErr = x.norm2(1).sub(Math.sqrt(40)).amaxNumber().doubleValue();
            assertTrue(rowErr < prev || rowErr < 1e-12, "row norms approach sqrt(n)");
            prev = rowErr;
        }
        assertTrue(prev < 1e-6, "after 20 iterations every row norm is sqrt(n), err " + prev);
    }

    @Test
    void sinkhornNormalisesAColumnMaskedResidualOverTheFreeEntries() {
        INDArray g = gaussian(5, 6, 8);
        g.getColumn(2).assign(0.0);
        g.getColumn(5).assign(0.0);
        INDArray x = new SinkGd(30).normalise(g, g.like());
        assertEquals(0, x.getColumn(2).amaxNumber().doubleValue(), 0);
        assertEquals(0, x.norm2(1).sub(Math.sqrt(6)).amaxNumber().doubleValue(), 1e-6); // 6 free columns
        assertEquals(Math.sqrt(6), x.getColumn(0).norm2Number().doubleValue(), 1e-12);
    }

    @Test
    void sinkgdUpdateHasUnitRmsTimesLr() {
        INDArray g = gaussian(7, 8, 16);
        INDArray target = Nd4j.zeros(DataType.DOUBLE, 8, 16);
        double sq = SinkGd.defaults().apply(g, 0.1, target, g.like());
        assertEquals(0.01 * 8 * 16, sq, 1e-10);
        assertEquals(0.1, Math.sqrt(target.mul(target).meanNumber().doubleValue()), 1e-12);
    }

    @Test
    void swanGradNormCentresAndScalesRows() {
        INDArray x = Swan.defaults().gradNorm(gaussian(9, 5, 30).addi(3.0));
        assertEquals(0, x.mean(1).amaxNumber().doubleValue(), 1e-12);
        assertEquals(0, x.std(false, 1).sub(1).amaxNumber().doubleValue(), 1e-6);
    }

    @Test
    void swanLeavesAZeroGradientAtZeroInsteadOfNaN() {
        // SLTrain's A has a zero gradient until B leaves 0; whitening must not divide by its norm.
        INDArray target = Nd4j.ones(DataType.DOUBLE, 4, 6);
        double sq = Swan.defaults().apply(Nd4j.zeros(DataType.DOUBLE, 4, 6), 0.1, target, null);
        assertEquals(0.0, sq);
        assertEquals(24.0, target.sumNumber().doubleValue(), 0.0);
    }

    @Test
    void swanWhitenedMatrixHasUnitSingularValues() {
        for (long[] shape : new long[][] {{8, 32}, {32, 8}}) {
            INDArray g = Nd4j.randn(11, shape).castTo(DataType.DOUBLE);
            INDArray w = new Swan(25, 1e-8, 0).whiten(g);
            boolean wide = shape[0] <= shape[1];
            INDArray gram = wide ? w.mmul(w.transpose()) : w.transpose().mmul(w);
            INDArray eye = Nd4j.eye(Math.min(shape[0], shape[1])).castTo(DataType.DOUBLE);
            // W W^T = I means every singular value of W is 1
            assertEquals(0, gram.sub(eye).amaxNumber().doubleValue(), 1e-6, "shape " + shape[0] + "x" + shape[1]);
        }
    }
}
