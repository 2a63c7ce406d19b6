package io.frugalspark.optim.rule;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * SWAN: GradNorm (rows centred and scaled to unit std) then whitening (G G^T)^(-1/2) G, computed on
 * the smaller side with a coupled Newton-Schulz iteration for the inverse square root.
 */
public record Swan(int newtonSchulzSteps, double eps, double ridge) implements StatelessRule {

    public static Swan defaults() {
        return new Swan(10, 1e-8, 1e-6);
    }

    @Override
    public double apply(INDArray g, double lr, INDArray target, INDArray scratch) {
        INDArray x = whiten(gradNorm(g));
        Blas.axpy(-lr, x, target);
        double sq = Blas.dot(x, x);
        x.close();
        return lr * lr * sq;
    }

    /** Each row minus its mean over columns, divided by its (population) std. */
    public INDArray gradNorm(INDArray g) {
        INDArray x = g.rank() == 2 ? g.dup('c') : g.reshape(1, g.length()).dup('c');
        x.subiColumnVector(x.mean(1).reshape(-1, 1));
        INDArray std = x.std(false, 1).addi(eps);
        return x.diviColumnVector(std.reshape(-1, 1));
    }

    /** (X X^T)^(-1/2) X for a wide X, X (X^T X)^(-1/2) for a tall one. */
    public INDArray whiten(INDArray x) {
        boolean wide = x.size(0) <= x.size(1);
        INDArray a = wide ? x.mmul(x.transpose()) : x.transpose().mmul(x);
        if (a.norm2Number().doubleValue() == 0) {
            return x; // a zero gradient (SLTrain's A while B is still 0) has nothing to whiten
        }
        INDArray invSqrt = inverseSqrt(a);
        return wide ? invSqrt.mmul(x) : x.mmul(invSqrt);
    }

    /** Coupled Newton-Schulz: Y -> A/c, Z -> (A/c)^(-1/2); a small ridge keeps rank-deficient A invertible. */
    INDArray inverseSqrt(INDArray a) {
        long n = a.size(0);
        INDArray eye = Nd4j.eye(n).castTo(a.dataType());
        double c0 = a.norm2Number().doubleValue();
        INDArray y = a.add(eye.mul(ridge * c0));
        double c = y.norm2Number().doubleValue();
        y.divi(c);
        INDArray z = eye.dup();
        for (int i = 0; i < newtonSchulzSteps; i++) {
            INDArray t = eye.mul(3).subi(z.mmul(y)).muli(0.5);
            y = y.mmul(t);
            z = t.mmul(z);
        }
        return z.divi(Math.sqrt(c));
    }
}
