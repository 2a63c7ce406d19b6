package io.frugalspark.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Central finite differences in float64 against the hand-written backward, every tensor. */
class GradCheckTest {
    static final int PAD = 0;
    /** Entries checked per tensor (all of the smaller ones), at random positions. */
    static final int SAMPLES = 8;
    /** Two rows of 8 stored tokens (7 input/target pairs); row 1 ends in padding. */
    static final int[][] TOKENS = {{3, 17, 5, 9, 22, 1, 14, 8}, {11, 4, 19, 7, 2, PAD, PAD, PAD}};

    static LlamaConfig.Builder config() {
        return LlamaConfig.builder().shape(16, 24, 2, 2).vocabSize(23).maxSeqLen(8);
    }

    /** Random O(1) values everywhere so that no gradient vanishes (SLTrain's B starts at 0). */
    static LlamaModel perturbed(LlamaConfig cfg) {
        LlamaModel m = LlamaModel.init(cfg, 7, DataType.DOUBLE);
        Random r = new Random(11);
        for (Parameter p : m.parameters()) {
            if (!p.trainable()) continue;
            INDArray v = p.value();
            for (long i = 0; i < v.length(); i++)
                v.putScalar(i, (p.role().equals(Parameter.NORM) ? 1 : 0) + 0.3 * r.nextGaussian());
        }
        return m;
    }

    @Test
    void denseGradientsMatchFiniteDifferences() {
        assertGradientsMatch(perturbed(config().build()));
    }

    @Test
    void sltrainGradientsMatchFiniteDifferences() {
        LlamaModel m = perturbed(config().sltrain(true).slRank(3).slAlpha(6).slDelta(0.1).build());
        assertTrue(m.parameters().stream().anyMatch(p -> p.name().endsWith("mlp.down_proj.lowrank_A")));
        Parameter support = m.parameters().stream().filter(p -> p.name().endsWith("sparse_support")).findFirst().orElseThrow();
        assertNull(support.grad());
        assertGradientsMatch(m);
    }

    /** Row blocks of 3 over 7 positions (3 + 3 + 1), row 1 padded: every block edge and the short tail. */
    @Test
    void blockedAttentionGradientsMatchFiniteDifferences() {
        assertGradientsMatch(perturbed(config().attentionBlock(3).build()));
    }

    @Test
    void recomputationGivesTheSameGradientsAndGradientsAreWrittenNotAdded() {
        LlamaModel plain = perturbed(config().build());
        LlamaModel recompute = perturbed(config().recomputeActivations(true).build());
        LossResult a = plain.forwardBackward(TOKENS, PAD);
        plain.forwardBackward(TOKENS, PAD);
        LossResult b = recompute.forwardBackward(TOKENS, PAD);
        assertEquals(a.sum(), b.sum(), 1e-12);
        assertEquals(7 + 4, a.count());
        for (int i = 0; i < plain.gradients().size(); i++)
            assertArrayEquals(plain.gradients().get(i).data().asDouble(), recompute.gradients().get(i).data().asDouble(), 1e-12);
    }

    @Test
    void batchWithOnlyPaddingTargetsCountsNothingAndZeroesGradients() {
        LlamaModel m = perturbed(config().build());
        m.forwardBackward(TOKENS, PAD);
        LossResult r = m.forwardBackward(new int[][]{{5, PAD, PAD}}, PAD);
        assertEquals(0, r.count());
        assertTrue(Double.isNaN(r.mean()));
        m.gradients().forEach(g -> assertEquals(0, g.amaxNumber().doubleValue()));
    }

    private static void assertGradientsMatch(LlamaModel m) {
        LossResult r = m.forwardBackward(TOKENS, PAD);
        assertEquals(11, r.count());
        List<INDArray> analytic = new ArrayList<>();
        m.gradients().forEach(g -> analytic.add(g.dup()));
        List<Parameter> trainable = m.parameters().stream().filter(Parameter::trainable).toList();
        Random pick = new Random(3);
        double worst = 0;
        String worstName = "";
        for (int t = 0; t < trainable.size(); t++) {
            INDArray v = trainable.get(t).value();
            for (int s = 0; s < Math.min(v.length(), SAMPLES); s++) {
                long i = v.length() <= SAMPLES ? s : pick.nextInt((int) v.length());
                double numeric = centralDifference(m, v, i);
                double exact = analytic.get(t).getDouble(i);
                double err = Math.abs(numeric - exact) / Math.max(Math.abs(numeric) + Math.abs(exact), 1e-7);
                if (err > worst) {
                    worst = err;
                    worstName = trainable.get(t).name() + "[" + i + "] analytic " + exact + " numeric " + numeric;
                }
            }
        }
        System.out.println("max relative error " + worst + " at " + worstName);
        assertTrue(worst < 1e-6, "max relative error " + worst + " at " + worstName);
    }

    /** Five-point stencil: truncation error O(h^4), so saturated softmaxes do not dominate the error. */
    private static double centralDifference(LlamaModel m, INDArray v, long i) {
        double h = 1e-4;
        return (8 * (lossAt(m, v, i, h) - lossAt(m, v, i, -h)) - (lossAt(m, v, i, 2 * h) - lossAt(m, v, i, -2 * h))) / (12 * h);
    }

    private static double lossAt(LlamaModel m, INDArray v, long i, double shift) {
        double x = v.getDouble(i);
        v.putScalar(i, x + shift);
        double loss = m.loss(TOKENS, PAD).mean();
        v.putScalar(i, x);
        return loss;
    }
}
