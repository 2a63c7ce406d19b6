package io.frugalspark.cuda;

import java.util.ArrayList;
import java.util.List;

/**
 * The dimensions of a LLaMA model as the engine needs them (the trainer passes them from its preset),
 * and its tensors in the reference's order: embedding, per layer input norm, q, k, v, o, post-attention
 * norm, gate, down, up (the projectable order of ALGORITHMS.md section 1), final norm, lm_head.
 */
public record LlamaShape(int vocab, int hidden, int intermediate, int heads, int layers) {

    public LlamaShape {
        if (hidden % heads != 0) throw new IllegalArgumentException("hidden " + hidden + " is not a multiple of heads " + heads);
    }

    public int headDim() {
        return hidden / heads;
    }

    public List<TensorSpec> tensors() {
        List<TensorSpec> out = new ArrayList<>();
        out.add(new TensorSpec("model.embed_tokens.weight", TensorSpec.Role.EMBEDDING, vocab, hidden));
        for (int l = 0; l < layers; l++) {
            String p = "model.layers." + l + ".";
            out.add(new TensorSpec(p + "input_layernorm.weight", TensorSpec.Role.NORM, 1, hidden));
            for (String proj : List.of("q", "k", "v", "o"))
                out.add(new TensorSpec(p + "self_attn." + proj + "_proj.weight", TensorSpec.Role.ATTENTION, hidden, hidden));
            out.add(new TensorSpec(p + "post_attention_layernorm.weight", TensorSpec.Role.NORM, 1, hidden));
            out.add(new TensorSpec(p + "mlp.gate_proj.weight", TensorSpec.Role.MLP, intermediate, hidden));
            out.add(new TensorSpec(p + "mlp.down_proj.weight", TensorSpec.Role.MLP, hidden, intermediate));
            out.add(new TensorSpec(p + "mlp.up_proj.weight", TensorSpec.Role.MLP, intermediate, hidden));
        }
        out.add(new TensorSpec("model.norm.weight", TensorSpec.Role.NORM, 1, hidden));
        out.add(new TensorSpec("lm_head.weight", TensorSpec.Role.LM_HEAD, vocab, hidden));
        return out;
    }

    public long parameters() {
        return tensors().stream().mapToLong(TensorSpec::elements).sum();
    }

    /** Everything but the token embedding (a gather, not a GEMM); the untied lm_head is a GEMM and counts. */
    public long nonEmbeddingParameters() {
        return parameters() - (long) vocab * hidden;
    }
}
