package io.frugalspark.job.train;

import io.frugalspark.model.LlamaConfig;
import io.frugalspark.optim.Role;
import io.frugalspark.optim.method.TensorShape;
import java.util.ArrayList;
import java.util.List;

/**
 * The trainable tensors of a LLaMA config in the model's order, from shapes alone, for sizing
 * optimizer state of presets too large to allocate ({@code train --dry-run}). A test holds it equal to
 * the real model's parameter list.
 */
final class ModelShapes {
    private ModelShapes() {}

    static List<TensorShape> of(LlamaConfig c) {
        long d = c.hidden;
        long f = c.intermediate;
        List<TensorShape> out = new ArrayList<>();
        out.add(new TensorShape("model.embed_tokens.weight", Role.EMBEDDING, new long[] {c.vocabSize, d}));
        for (int i = 0; i < c.layers; i++) {
            String p = "model.layers." + i + ".";
            out.add(new TensorShape(p + "input_layernorm.weight", Role.NORM, new long[] {d}));
            for (String n : new String[] {"q_proj", "k_proj", "v_proj", "o_proj"}) {
                linear(c, p + "self_attn." + n, Role.ATTENTION, d, d, out);
            }
            out.add(new TensorShape(p + "post_attention_layernorm.weight", Role.NORM, new long[] {d}));
            linear(c, p + "mlp.gate_proj", Role.MLP, f, d, out);
            linear(c, p + "mlp.down_proj", Role.MLP, d, f, out);
            linear(c, p + "mlp.up_proj", Role.MLP, f, d, out);
        }
        out.add(new TensorShape("model.norm.weight", Role.NORM, new long[] {d}));
        out.add(new TensorShape("lm_head.weight", Role.LM_HEAD, new long[] {c.vocabSize, d}));
        return out;
    }

    /** A dense [out, in] weight, or SLTrain's B [out, r], A [r, in] and floor(delta * out * in) sparse values. */
    private static void linear(LlamaConfig c, String name, Role role, long out, long in, List<TensorShape> to) {
        if (!c.sltrain) {
            to.add(new TensorShape(name + ".weight", role, new long[] {out, in}));
            return;
        }
        to.add(new TensorShape(name + ".lowrank_B", role, new long[] {out, c.slRank}));
        to.add(new TensorShape(name + ".lowrank_A", role, new long[] {c.slRank, in}));
        to.add(new TensorShape(name + ".sparse_values", role, new long[] {(long) Math.floor(c.slDelta * out * in)}));
    }
}
