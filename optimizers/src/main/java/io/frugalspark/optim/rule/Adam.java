package io.frugalspark.optim.rule;

import io.frugalspark.optim.TensorState;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Adam with torch's placement of eps (after bias correction), written out rather than ND4J's
 * AdamUpdater, which adds eps before it (and misbehaves at lr 0). The decoupled decay of AdamW is applied by the optimizer.
 */
public record Adam(double beta1, double beta2, double eps) implements StatefulRule {
    public static final String EXP_AVG = "exp_avg";
    public static final String EXP_AVG_SQ = "exp_avg_sq";

    public static Adam defaults() {
        return new Adam(0.9, 0.999, 1e-8);
    }

    @Override
    public int moments() {
        return 2;
    }

    @Override
    public void init(TensorState state, INDArray example) {
        state.putMoment(EXP_AVG, example.like());
        state.putMoment(EXP_AVG_SQ, example.like());
    }

    /** One fused pass: m, v, then target += -lr/bc1 * m / (sqrt(v)/sqrt(bc2) + eps), as torch orders it. */
    @Override
    public double apply(TensorState state, INDArray g, double lr, INDArray target, INDArray scratch) {
        INDArray m = state.moment(EXP_AVG);
        INDArray v = state.moment(EXP_AVG_SQ);
        Lane.sameLayout(g, m, v, target);
        Lane gl = Lane.of(g);
        Lane ml = Lane.of(m);
        Lane vl = Lane.of(v);
        Lane tl = Lane.of(target);
        double b1 = beta1;
        double b2 = beta2;
        double e = eps;
        double bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, state.step));
        double step = lr / (1 - Math.pow(beta1, state.step));
        double sq = Fused.sum(g.length(), (from, to) -> {
            double[][] lane = Fused.lanes();
            double[] gc = lane[0];
            double[] mc = lane[1];
            double[] vc = lane[2];
            double[] tc = lane[3];
            int n = to - from;
            gl.load(from, gc, n);
            ml.load(from, mc, n);
            vl.load(from, vc, n);
            tl.load(from, tc, n);
            double acc = 0;
            for (int i = 0; i < n; i++) { // plain arrays, no per-element buffer calls
                double gi = gc[i];
                double mi = mc[i] * b1 + (1 - b1) * gi;
                double vi = vc[i] * b2 + (1 - b2) * gi * gi;
                mc[i] = mi;
                vc[i] = vi;
                double d = mi / (Math.sqrt(vi) / bc2Sqrt + e);
                tc[i] -= step * d;
                acc += d * d;
            }
            ml.store(from, mc, n);
            vl.store(from, vc, n);
            tl.store(from, tc, n);
            return acc;
        });
        return step * step * sq;
    }
}
