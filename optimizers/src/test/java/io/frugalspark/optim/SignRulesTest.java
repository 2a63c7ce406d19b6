package io.frugalspark.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.frugalspark.optim.rule.Lion;
import io.frugalspark.optim.rule.SignSgd;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * signSGD and Lion on non-finite gradients: a NaN must reach the parameter (and the update norm),
 * as torch.sign does, instead of libnd4j's sign(NaN) = 0 turning a diverged gradient into "no update".
 * Arrays span several of libnd4j's parallel chunks so the native passes are what is tested.
 */
class SignRulesTest {
    private static final int N = 100_003;
    private static final int NAN_AT = 77_777;
    private static final double LR = 0.125; // a power of two: the expected floats are exact

    /** A gradient with every kind of entry: positive, negative, zero, both infinities. */
    private static INDArray gradient(DataType type) {
        double[] g = new double[N];
        for (int i = 0; i < N; i++) {
            g[i] = switch (i % 5) {
                case 0 -> 0.0;
                case 1 -> 1e-3 * i;
                case 2 -> -2.5;
                case 3 -> i == 3 ? Double.POSITIVE_INFINITY : 7.0;
                default -> i == 4 ? Double.NEGATIVE_INFINITY : -1e-30;
            };
        }
        return Nd4j.createFromArray(g).castTo(type);
    }

    private static double expectedSign(INDArray g, int i) {
        return Math.signum(g.getDouble(i)); // signum(NaN) = NaN, signum(+-inf) = +-1
    }

    private static void assertStepped(INDArray g, INDArray target, double base) {
        for (int i = 0; i < N; i++) {
            double want = base - LR * expectedSign(g, i);
            double got = target.getDouble(i);
            if (Double.isNaN(want)) {
                assertTrue(Double.isNaN(got), "entry " + i + " of a NaN gradient must be NaN, is " + got);
            } else {
                assertEquals(want, got, 0.0, "entry " + i);
            }
        }
    }

    private static long nonZeros(INDArray g) {
        long n = 0;
        for (int i = 0; i < N; i++) {
            n += g.getDouble(i) != 0 ? 1 : 0;
        }
        return n;
    }

    @ParameterizedTest
    @EnumSource(names = {"FLOAT", "DOUBLE"})
    void signSgdStepsBySignAndCountsNonZeros(DataType type) {
        INDArray g = gradient(type); // infinities but no NaN: every entry stays finite
        INDArray target = Nd4j.ones(type, N);
        double sq = new SignSgd().apply(g, LR, target, g.like());
        assertStepped(g, target, 1.0);
        assertEquals(LR * LR * nonZeros(g), sq, 1e-9);
    }

    @ParameterizedTest
    @EnumSource(names = {"FLOAT", "DOUBLE"})
    void signSgdPropagatesANanGradientEntry(DataType type) {
        INDArray g = gradient(type);
        g.putScalar(NAN_AT, Double.NaN);
        INDArray target = Nd4j.ones(type, N);
        double sq = new SignSgd().apply(g, LR, target, g.like());
        assertTrue(Double.isNaN(target.getDouble(NAN_AT)));
        assertStepped(g, target, 1.0); // every other entry exactly as for a finite gradient
        assertTrue(Double.isNaN(sq), "update norm " + sq);
    }

    @ParameterizedTest
    @EnumSource(names = {"FLOAT", "DOUBLE"})
    void lionPropagatesANanGradientEntryIntoParameterAndMoment(DataType type) {
        INDArray g = gradient(type);
        g.putScalar(NAN_AT, Double.NaN);
        INDArray target = Nd4j.ones(type, N);
        TensorState st = new TensorState(null);
        Lion lion = Lion.defaults();
        lion.init(st, target);
        double sq = lion.apply(st, g, LR, target, g.like()); // m = 0: the update is -lr sign((1 - b1) g)
        assertStepped(g, target, 1.0);
        assertTrue(Double.isNaN(sq), "update norm " + sq);
        INDArray m = st.moment(Lion.EXP_AVG);
        assertTrue(Double.isNaN(m.getDouble(NAN_AT)));
        assertEquals((1 - 0.99) * g.getDouble(1), m.getDouble(1), 1e-9 * Math.abs(g.getDouble(1)));
    }

    @ParameterizedTest
    @EnumSource(names = {"FLOAT", "DOUBLE"})
    void lionStepsBySignWithoutNan(DataType type) {
        INDArray g = gradient(type);
        INDArray target = Nd4j.ones(type, N);
        TensorState st = new TensorState(null);
        Lion lion = Lion.defaults();
        lion.init(st, target);
        double sq = lion.apply(st, g, LR, target, g.like());
        assertStepped(g, target, 1.0);
        assertEquals(LR * LR * nonZeros(g), sq, 1e-9);
    }
}
