package io.frugalspark.model.layers;

import io.frugalspark.model.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Pre-norm LLaMA block: h = x + attn(norm1(x)); y = h + mlp(norm2(h)). */
public final class DecoderBlock {
    private final RMSNorm norm1;
    private final Attention attn;
    private final RMSNorm norm2;
    private final SwiGluMlp mlp;
    private final int width;

    public DecoderBlock(RMSNorm norm1, Attention attn, RMSNorm norm2, SwiGluMlp mlp, int intermediate) {
        this.norm1 = norm1;
        this.attn = attn;
        this.norm2 = norm2;
        this.mlp = mlp;
        this.width = intermediate;
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

    public void forward(INDArray x, INDArray y, int batch, int seq, Buffers act, Buffers tmp) {
        long n = x.rows(), d = x.columns();
        INDArray xn1 = act.get("block.xn1", n, d), h = act.get("block.h", n, d), xn2 = act.get("block.xn2", n, d);
        INDArray branch = tmp.get("block.branch", n, d);
        norm1.forward(x, xn1, act);
        attn.forward(xn1, branch, batch, seq, act, tmp);
        h.assign(x).addi(branch);
        norm2.forward(h, xn2, act);
        mlp.forward(xn2, branch, width, act);
        y.assign(h).addi(branch);
    }

    /** g holds dL/dy on entry and dL/dx on return (the residual gradient is updated in place). */
    public void backward(INDArray x, INDArray g, int batch, int seq, Buffers act, Buffers tmp) {
        INDArray gBranch = tmp.get("block.branch", x.rows(), x.columns());
        mlp.backward(act.get("block.xn2"), g, gBranch, act, tmp);
        norm2.backward(act.get("block.h"), gBranch, g, act, tmp);
        attn.backward(act.get("block.xn1"), g, gBranch, batch, seq, act, tmp);
        norm1.backward(x, gBranch, g, act, tmp);
    }
}
