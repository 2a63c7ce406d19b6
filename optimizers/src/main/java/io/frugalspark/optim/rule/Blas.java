package io.frugalspark.optim.rule;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** In-place level-1 helpers on contiguous arrays: no temporaries in the hot path. */
public final class Blas {
    private Blas() {
    }

    /** y += a * x, returns y. */
    public static INDArray axpy(double a, INDArray x, INDArray y) {
        if (dense(x, y)) {
            Nd4j.getBlasWrapper().level1().axpy(x.length(), a, x, y);
        } else {
            y.addi(x.mul(a));
        }
        return y;
    }

    public static double dot(INDArray x, INDArray y) {
        return dense(x, y) ? Nd4j.getBlasWrapper().level1().dot(x.length(), 1.0, x, y) : x.mul(y).sumNumber().doubleValue();
    }

    /** BLAS level 1 sees flat memory: both arrays must be unit-stride in the same order. */
    private static boolean dense(INDArray x, INDArray y) {
        return x.elementWiseStride() == 1 && y.elementWiseStride() == 1 && x.ordering() == y.ordering()
                && x.dataType() == y.dataType();
    }
}
