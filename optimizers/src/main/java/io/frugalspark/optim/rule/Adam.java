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

    /**
     * One fused pass: m, v, then target += -lr/bc1 * m / (sqrt(v)/sqrt(bc2) + eps), as torch orders it.
     * Float32 tensors take torch's float32 arithmetic (as the CUDA kernel does), which C2 vectorises:
     * twice the speed of the double kernel that float64 tensors (the finite-difference checks) take.
     */
    @Override
    public double apply(TensorState state, INDArray g, double lr, INDArray target, INDArray scratch) {
        INDArray m = state.moment(EXP_AVG);
        INDArray v = state.moment(EXP_AVG_SQ);
        Lane.sameLayout(g, m, v, target);
        Lane gl = Lane.of(g);
        Lane ml = Lane.of(m);
        Lane vl = Lane.of(v);
        Lane tl = Lane.of(target);
        double bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, state.step));
        double step = lr / (1 - Math.pow(beta1, state.step));
        if (gl instanceof Lane.F gf && ml instanceof Lane.F mf && vl instanceof Lane.F vf && tl instanceof Lane.F tf) {
            return inFloat(g.length(), gf, mf, vf, tf, (float) step, (float) bc2Sqrt);
        }
        return step * step * inDouble(g.length(), gl, ml, vl, tl, step, bc2Sqrt);
    }

    /**
     * torch.optim.AdamW's float32 operations in its order (u = step * m / denom), with the fused multiply-adds
     * its vectorised add_ and addcmul_ use: the same bits as torch (AdamFloat32GoldenTest). The update's energy,
     * the sum of u^2 in double, in a second loop so the first vectorises.
     */
    private double inFloat(long n, Lane.F gl, Lane.F ml, Lane.F vl, Lane.F tl, float step, float bc2Sqrt) {
        float b1 = (float) beta1;
        float b2 = (float) beta2;
        float c1 = (float) (1 - beta1);
        float c2 = (float) (1 - beta2);
        float e = (float) eps;
        return Fused.sum(n, (from, to) -> {
            float[][] lane = Fused.floatLanes();
            float[] gc = lane[0];
            float[] mc = lane[1];
            float[] vc = lane[2];
            float[] tc = lane[3];
            float[] uc = lane[4];
            int len = to - from;
            gl.load(from, gc, len);
            ml.load(from, mc, len);
            vl.load(from, vc, len);
            tl.load(from, tc, len);
            for (int i = 0; i < len; i++) {
                float gi = gc[i];
                float mi = Math.fma(c1, gi, mc[i] * b1);
                float vi = Math.fma(c2 * gi, gi, vc[i] * b2);
                mc[i] = mi;
                vc[i] = vi;
                float u = step * mi / ((float) Math.sqrt(vi) / bc2Sqrt + e);
                tc[i] -= u;
                uc[i] = u;
            }
            ml.store(from, mc, len);
            vl.store(from, vc, len);
            tl.store(from, tc, len);
            return Fused.sumOfSquares(uc, len);
        });
    }

    /** The same update in double, rounded once per stored element; returns the sum of (m / denom)^2. */
    private double inDouble(long n, Lane gl, Lane ml, Lane vl, Lane tl, double step, double bc2Sqrt) {
        double b1 = beta1;
        double b2 = beta2;
        double e = eps;
        return Fused.sum(n, (from, to) -> {
            double[][] lane = Fused.lanes();
            double[] gc = lane[0];
            double[] mc = lane[1];
            double[] vc = lane[2];
            double[] tc = lane[3];
            int len = to - from;
            gl.load(from, gc, len);
            ml.load(from, mc, len);
            vl.load(from, vc, len);
            tl.load(from, tc, len);
            double acc = 0;
            for (int i = 0; i < len; i++) { // plain arrays, no per-element buffer calls
                double gi = gc[i];
                double mi = mc[i] * b1 + (1 - b1) * gi;
                double vi = vc[i] * b2 + (1 - b2) * gi * gi;
                mc[i] = mi;
                vc[i] = vi;
                double d = mi / (Math.sqrt(vi) / bc2Sqrt + e);
                tc[i] -= step * d;
                acc += d * d;
            }
            ml.store(from, mc, len);
            vl.store(from, vc, len);
            tl.store(from, tc, len);
            return acc;
        });
    }
}
