package io.frugalspark.optim;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The 60M LLaMA's tensors (ALGORITHMS.md section 11) with Hugging Face names, in model order. */
public final class Llama60M {
    public static final int VOCAB = 32000;
    public static final int HIDDEN = 512;
    public static final int INTERMEDIATE = 1376;
    public static final int LAYERS = 8;

    private Llama60M() {
    }

    /** Parameters N(0, 0.02) and gradients N(0, 1e-3), seeded; constants when {@code seed} is 0 (fast). */
    public static List<ParamRef> params(DataType type, long seed) {
        List<ParamRef> out = new ArrayList<>();
        add(out, "model.embed_tokens.weight", Role.EMBEDDING, type, seed, VOCAB, HIDDEN);
        for (int l = 0; l < LAYERS; l++) {
            String p = "model.layers." + l + ".";
            add(out, p + "input_layernorm.weight", Role.NORM, type, seed, HIDDEN);
            for (String x : new String[] {"q", "k", "v", "o"}) {
                add(out, p + "self_attn." + x + "_proj.weight", Role.ATTENTION, type, seed, HIDDEN, HIDDEN);
            }
            add(out, p + "post_attention_layernorm.weight", Role.NORM, type, seed, HIDDEN);
            add(out, p + "mlp.gate_proj.weight", Role.MLP, type, seed, INTERMEDIATE, HIDDEN);
            add(out, p + "mlp.down_proj.weight", Role.MLP, type, seed, HIDDEN, INTERMEDIATE);
            add(out, p + "mlp.up_proj.weight", Role.MLP, type, seed, INTERMEDIATE, HIDDEN);
        }
        add(out, "model.norm.weight", Role.NORM, type, seed, HIDDEN);
        add(out, "lm_head.weight", Role.LM_HEAD, type, seed, VOCAB, HIDDEN);
        return out;
    }

    private static void add(List<ParamRef> out, String name, Role role, DataType type, long seed, long... shape) {
        INDArray w = seed == 0 ? Nd4j.valueArrayOf(shape, 0.02, type) : Nd4j.randn(seed + out.size(), shape).castTo(type).muli(0.02);
        INDArray g = seed == 0 ? Nd4j.valueArrayOf(shape, 1e-3, type) : Nd4j.randn(seed + 1000 + out.size(), shape).castTo(type).muli(1e-3);
        out.add(new ParamRef(name, role, w, g));
    }

    /** The parameter count of {@link #params}, from the shapes alone (58,073,600). */
    public static long parameterCount() {
        long layer = 2L * HIDDEN + 4L * HIDDEN * HIDDEN + 3L * INTERMEDIATE * HIDDEN;
        return 2L * VOCAB * HIDDEN + LAYERS * layer + HIDDEN;
    }

    public static long count(List<ParamRef> params) {
        return params.stream().mapToLong(p -> p.param().length()).sum();
    }
}
