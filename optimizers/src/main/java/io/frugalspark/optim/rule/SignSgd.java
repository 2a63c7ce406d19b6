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
        Nd4j.getExecutioner().exec(new Sign(g, scratch));
        Blas.axpy(-lr, scratch, target);
        return lr * lr * Blas.dot(scratch, scratch);
    }
}
