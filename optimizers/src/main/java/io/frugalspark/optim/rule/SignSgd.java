package io.frugalspark.optim.rule;

import org.nd4j.linalg.api.ndarray.INDArray;

/** signSGD: -lr * sign(g), with sign(0) = 0 so masked-out coordinates stay put. One fused pass. */
public record SignSgd() implements StatelessRule {
    @Override
    public double apply(INDArray g, double lr, INDArray target, INDArray scratch) {
        Lane.sameLayout(g, target);
        Lane gl = Lane.of(g);
        Lane tl = Lane.of(target);
        double nonZero = Fused.sum(g.length(), (from, to) -> {
            double n = 0;
            for (int i = from; i < to; i++) {
                double s = Math.signum(gl.get(i));
                tl.set(i, tl.get(i) - lr * s);
                n += s * s;
            }
            return n;
        });
        return lr * lr * nonZero;
    }
}
