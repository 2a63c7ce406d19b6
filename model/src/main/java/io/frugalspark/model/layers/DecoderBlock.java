package io.frugalspark.model.layers;

import io.frugalspark.model.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Pre-norm LLaMA block: h = x + attn(norm1(x)); y = h + mlp(norm2(h)). */
public final class DecoderBlock {
    /**
     * What one block's forward keeps for its backward, its sublayers' included; one per block, or
     * one shared by all blocks when activations are recomputed.
     */
    public static final class Activations {
        public final Attention.Activations attention = new Attention.Activations();
        public final SwiGluMlp.Activations mlp = new SwiGluMlp.Activations();
        /** [N, D]: norm1(x), attention's input. */
        private INDArray normed1;
        /** [N, D]: h = x + attention's output, the MLP's residual. */
        private INDArray mid;
        /** [N, D]: norm2(h), the MLP's input. */
        private INDArray normed2;
    }

    /** Temporaries of one block call, its sublayers' included; one instance serves every block (and the final norm). */
    public static final class Scratch {
        public final RMSNorm.Scratch norm = new RMSNorm.Scratch();
        public final Attention.Scratch attention = new Attention.Scratch();
        public final SwiGluMlp.Scratch mlp = new SwiGluMlp.Scratch();
        /** [N, D]: a branch's output (attention's, then the MLP's) before it joins the residual. */
        private INDArray branch;
        /** [N, D]: dL/d of a branch's normed input (the MLP's, then attention's), passed on to its norm. */
        private INDArray dNormed;
    }

    private final RMSNorm norm1;
    private final Attention attn;
    private final RMSNorm norm2;
    private final SwiGluMlp mlp;
    private final Activations saved;
    private final Scratch scratch;

    /** The sublayers are built on {@code saved}'s and {@code scratch}'s parts. */
    public DecoderBlock(RMSNorm norm1, Attention attn, RMSNorm norm2, SwiGluMlp mlp, Activations saved, Scratch scratch) {
        this.norm1 = norm1;
        this.attn = attn;
        this.norm2 = norm2;
        this.mlp = mlp;
        this.saved = saved;
        this.scratch = scratch;
    }

    /** input_layernorm, q, k, v, o, post_attention_layernorm, gate, down, up. */
    public List<Parameter> parameters() {
        List<Parameter> ps = new ArrayList<>();
        ps.add(norm1.parameter());
        attn.linears().forEach(l -> ps.addAll(l.parameters()));
        ps.add(norm2.parameter());
        mlp.linears().forEach(l -> ps.addAll(l.parameters()));
        return ps;
    }

    public List<Linear> linears() {
        List<Linear> ls = new ArrayList<>(attn.linears());
        ls.addAll(mlp.linears());
        return ls;
    }

    /** Dense weights under their Hugging Face names, in parameter order. */
    public void exportDense(Map<String, INDArray> out) {
        out.put(norm1.parameter().name(), norm1.parameter().value());
        attn.linears().forEach(l -> out.put(l.weightName(), l.denseWeight()));
        out.put(norm2.parameter().name(), norm2.parameter().value());
        mlp.linears().forEach(l -> out.put(l.weightName(), l.denseWeight()));
    }

    public void forward(INDArray x, INDArray y, int batch, int seq) {
        ensureForward(x);
        INDArray branch = scratch.branch;
        norm1.forward(x, saved.normed1);
        attn.forward(saved.normed1, branch, batch, seq);
        saved.mid.assign(x).addi(branch);
        norm2.forward(saved.mid, saved.normed2);
        mlp.forward(saved.normed2, branch);
        y.assign(saved.mid).addi(branch);
    }

    /**
     * g holds dL/dy on entry and dL/dx on return: the residual passes dL/dy through unchanged, so
     * each branch's gradient is accumulated into g, the package's convention with gX = gY.
     */
    public void backward(INDArray x, INDArray g, int batch, int seq) {
        if (!Ops.fits(scratch.dNormed, x.shape())) scratch.dNormed = Ops.create(x.dataType(), x.shape());
        INDArray dNormed = scratch.dNormed;
        mlp.backward(saved.normed2, g, dNormed.assign(0));
        norm2.backward(saved.mid, dNormed, g);
        attn.backward(saved.normed1, g, dNormed.assign(0), batch, seq);
        norm1.backward(x, dNormed, g);
    }

    private void ensureForward(INDArray x) {
        if (!Ops.fits(scratch.branch, x.shape())) scratch.branch = Ops.create(x.dataType(), x.shape());
        if (Ops.fits(saved.normed1, x.shape())) return;
        saved.normed1 = Ops.create(x.dataType(), x.shape());
        saved.mid = Ops.create(x.dataType(), x.shape());
        saved.normed2 = Ops.create(x.dataType(), x.shape());
    }
}
