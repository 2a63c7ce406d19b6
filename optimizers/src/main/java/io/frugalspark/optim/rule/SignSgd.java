package io.frugalspark.optim.rule;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.same.Sign;
import org.nd4j.linalg.factory.Nd4j;

/**
 * signSGD: -lr * sign(g), with sign(0) = 0 so masked-out coordinates stay put. Native passes
 * (libnd4j's sign into the scratch buffer, then BLAS axpy and dot): faster here than a Java loop,
 * which C2 does not vectorise for signum.
 */
public record SignSgd() implements StatelessRule {
    @Override
    public double apply(INDArray g, double lr, INDArray target, INDArray scratch) {
        Lane.sameLayout(g, target, scratch);
        sign(g, scratch);
        Blas.axpy(-lr, scratch, target);
        return lr * lr * Blas.dot(scratch, scratch);
    }

    /**
     * out = sign(x) with sign(NaN) = NaN, as torch.sign and Math.signum have it: libnd4j's sign
     * gives 0 there, which would turn a diverged gradient into "no update" and hide it. The test is
     * a BLAS dot of x with itself: a sum of squares is NaN exactly when x holds a NaN (infinities
     * give +inf), and it runs at 0.09 ns/element here against libnd4j's sum at 0.4 (which made the
     * signSGD step 4x slower). Only then is a mask built; {@code out} may be {@code x}, so the mask
     * is taken before the sign.
     */
    static void sign(INDArray x, INDArray out) {
        INDArray nan = Double.isNaN(Blas.dot(x, x)) ? x.isNaN() : null;
        Nd4j.exec(new Sign(x, out));
        if (nan != null) {
            out.assign(out.putWhereWithMask(nan, Nd4j.scalar(out.dataType(), Double.NaN))); // M2.1 returns a copy
        }
    }
}
