package io.frugalspark.model.layers;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Sigmoid;
import org.nd4j.linalg.factory.Nd4j;

/** y = down(silu(gate(x)) * up(x)); keeps gate(x), up(x) and the product for backward. */
public final class SwiGluMlp {
    private final Linear gate;
    private final Linear down;
    private final Linear up;

    public SwiGluMlp(Linear gate, Linear down, Linear up) {
        this.gate = gate;
        this.down = down;
        this.up = up;
    }

    /** In the reference's registration order: gate, down, up. */
    public List<Linear> linears() {
        return List.of(gate, down, up);
    }

    public void forward(INDArray x, INDArray y, int width, Buffers act) {
        long n = x.rows();
        INDArray a = act.get("mlp.gate", n, width), b = act.get("mlp.up", n, width);
        INDArray h = act.get("mlp.h", n, width);
        gate.forward(x, a);
        up.forward(x, b);
        Nd4j.exec(new Sigmoid(a, h));
        h.muli(a).muli(b);
        down.forward(h, y);
    }

    /** Writes weight gradients and sets gX = dL/dx. */
    public void backward(INDArray x, INDArray gY, INDArray gX, Buffers act, Buffers tmp) {
        INDArray a = act.get("mlp.gate"), b = act.get("mlp.up");
        long n = a.rows(), width = a.columns();
        INDArray dh = tmp.get("mlp.dh", n, width);
        down.backward(act.get("mlp.h"), gY, dh, false);
        INDArray sig = tmp.get("mlp.sig", n, width);
        Nd4j.exec(new Sigmoid(a, sig));
        INDArray db = tmp.get("mlp.db", n, width).assign(dh).muli(a).muli(sig);   // dh * silu(a)
        // da = dh * b * silu'(a), silu'(a) = sig * (1 + a * (1 - sig))
        dh.muli(b).muli(sig.rsub(1).muli(a).addi(1).muli(sig));
        gate.backward(x, dh, gX, false);
        up.backward(x, db, gX, true);
    }
}
