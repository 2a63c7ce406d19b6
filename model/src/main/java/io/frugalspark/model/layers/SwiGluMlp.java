package io.frugalspark.model.layers;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Sigmoid;
import org.nd4j.linalg.factory.Nd4j;

/** y = down(silu(gate(x)) * up(x)); keeps gate(x), up(x) and the product for backward. */
public final class SwiGluMlp {
    /** What forward keeps for backward, [N, F] each; one per layer, or one shared when activations are recomputed. */
    public static final class Activations {
        /** gate(x), before silu. */
        private INDArray gate;
        /** up(x). */
        private INDArray up;
        /** silu(gate) * up: down's input. */
        private INDArray hidden;
    }

    /** Backward's [N, F] temporaries; one instance serves every MLP of a model. */
    public static final class Scratch {
        /** sigmoid(gate), recomputed rather than kept: it would cost a row of F per layer. */
        private INDArray sigmoid;
        /** dL/dhidden, from down. */
        private INDArray dHidden;
        /** dL/d of gate's and up's outputs. */
        private INDArray dGate;
        private INDArray dUp;
    }

    private final Linear gate;
    private final Linear down;
    private final Linear up;
    private final int width;
    private final Activations saved;
    private final Scratch scratch;

    /** @param width the intermediate size F (gate's and up's outputs) */
    public SwiGluMlp(Linear gate, Linear down, Linear up, int width, Activations saved, Scratch scratch) {
        this.gate = gate;
        this.down = down;
        this.up = up;
        this.width = width;
        this.saved = saved;
        this.scratch = scratch;
    }

    /** In the reference's registration order: gate, down, up. */
    public List<Linear> linears() {
        return List.of(gate, down, up);
    }

    public void forward(INDArray x, INDArray y) {
        ensureSaved(x);
        gate.forward(x, saved.gate);
        up.forward(x, saved.up);
        Nd4j.exec(new Sigmoid(saved.gate, saved.hidden));
        saved.hidden.muli(saved.gate).muli(saved.up);
        down.forward(saved.hidden, y);
    }

    /** Writes weight gradients and adds dL/dx to gX. */
    public void backward(INDArray x, INDArray gY, INDArray gX) {
        ensureScratch(x);
        INDArray a = saved.gate, b = saved.up, sig = scratch.sigmoid, dh = scratch.dHidden;
        down.backward(saved.hidden, gY, dh.assign(0));
        Nd4j.exec(new Sigmoid(a, sig));
        scratch.dUp.assign(dh).muli(a).muli(sig);   // dh * silu(a)
        // da = dh * b * silu'(a), silu'(a) = sig * (1 + a * (1 - sig))
        scratch.dGate.assign(dh).muli(b).muli(sig.rsub(1).muli(a).addi(1).muli(sig));
        gate.backward(x, scratch.dGate, gX);
        up.backward(x, scratch.dUp, gX);
    }

    private void ensureSaved(INDArray x) {
        if (Ops.fits(saved.gate, x.rows(), width)) return;
        saved.gate = Ops.create(x.dataType(), x.rows(), width);
        saved.up = Ops.create(x.dataType(), x.rows(), width);
        saved.hidden = Ops.create(x.dataType(), x.rows(), width);
    }

    private void ensureScratch(INDArray x) {
        if (Ops.fits(scratch.sigmoid, x.rows(), width)) return;
        scratch.sigmoid = Ops.create(x.dataType(), x.rows(), width);
        scratch.dHidden = Ops.create(x.dataType(), x.rows(), width);
        scratch.dGate = Ops.create(x.dataType(), x.rows(), width);
        scratch.dUp = Ops.create(x.dataType(), x.rows(), width);
    }
}
