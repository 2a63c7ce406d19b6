package io.frugalspark.model.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.frugalspark.model.Parameter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The dense W is built by forward only; backward multiplies by that W and consumes it. */
class SLTrainLinearTest {
    static final int OUT = 6, IN = 5, ROWS = 3;

    @Test
    void backwardUsesTheWOfItsForwardAndNeedsAForwardEachTime() {
        SLTrainLinear l = new SLTrainLinear("l", Parameter.MLP, OUT, IN, 2, 4, 7, 1, DataType.DOUBLE);
        l.init(new SplittableRandom(1));
        INDArray b = l.parameters().get(0).value();
        Ops.normal(b, new SplittableRandom(2), 1);
        INDArray x = gaussian(ROWS, IN, 3), gY = gaussian(ROWS, OUT, 4), gX = Nd4j.create(DataType.DOUBLE, ROWS, IN);
        INDArray w = l.denseWeight();
        l.forward(x, Nd4j.create(DataType.DOUBLE, ROWS, OUT));
        b.addi(1);   // had backward rebuilt W, gX would follow this B, not the forward's
        l.backward(x, gY, gX);
        assertArrayEquals(gY.mmul(w).data().asDouble(), gX.data().asDouble(), 1e-12);
        assertThrows(IllegalStateException.class, () -> l.backward(x, gY, gX));
    }

    private static INDArray gaussian(int rows, int cols, long seed) {
        INDArray a = Nd4j.create(DataType.DOUBLE, rows, cols);
        Ops.normal(a, new SplittableRandom(seed), 1);
        return a;
    }
}
