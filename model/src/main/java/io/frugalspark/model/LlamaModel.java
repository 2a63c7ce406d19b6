package io.frugalspark.model;

import io.frugalspark.model.layers.Attention;
import io.frugalspark.model.layers.DecoderBlock;
import io.frugalspark.model.layers.DenseLinear;
import io.frugalspark.model.layers.Embedding;
import io.frugalspark.model.layers.Linear;
import io.frugalspark.model.layers.LmHeadLoss;
import io.frugalspark.model.layers.RMSNorm;
import io.frugalspark.model.layers.Rope;
import io.frugalspark.model.layers.SLTrainLinear;
import io.frugalspark.model.layers.SwiGluMlp;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * LLaMA decoder with hand-written backward (ALGORITHMS.md section 11), optionally with SLTrain
 * linears (section 10). Parameters carry Hugging Face names and a role; {@link #forwardBackward}
 * writes the gradient of the mean loss into every trainable {@link Parameter#grad()}.
 * Not thread-safe: one model per training thread.
 */
public final class LlamaModel {
    private final LlamaConfig cfg;
    private final DataType dtype;
    private final Embedding embed;
    private final List<DecoderBlock> blocks = new ArrayList<>();
    private final RMSNorm finalNorm;
    private final LmHeadLoss head;
    private final List<Parameter> parameters = new ArrayList<>();
    /** [N, D] each: residuals[i] is block i's input, residuals[layers] the last block's output. */
    private final INDArray[] residuals;
    /** [N, D]: the final norm's output, lm_head's input. */
    private INDArray normed;
    /** [N, D]: dL/dnormed, written by the loss. */
    private INDArray dNormed;
    /** [N, D]: dL/d of the residual stream, accumulated from the final norm down through the blocks. */
    private INDArray dResidual;

    private LlamaModel(LlamaConfig cfg, DataType dtype) {
        if (dtype != DataType.FLOAT && dtype != DataType.DOUBLE)
            throw new IllegalArgumentException("model dtype must be FLOAT or DOUBLE, not " + dtype);
        this.cfg = cfg;
        this.dtype = dtype;
        int d = cfg.hidden, f = cfg.intermediate;
        embed = new Embedding("model.embed_tokens", cfg.vocabSize, d, dtype);
        Rope rope = new Rope(cfg.heads, cfg.headDim(), cfg.maxSeqLen, cfg.ropeBase, dtype);
        DecoderBlock.Scratch scratch = new DecoderBlock.Scratch();
        // Recomputation keeps one block's activations at a time, so all blocks share one set.
        DecoderBlock.Activations shared = cfg.recomputeActivations ? new DecoderBlock.Activations() : null;
        for (int i = 0; i < cfg.layers; i++) {
            String p = "model.layers." + i + ".";
            DecoderBlock.Activations saved = shared != null ? shared : new DecoderBlock.Activations();
            RMSNorm norm1 = new RMSNorm(p + "input_layernorm", d, cfg.rmsEps, dtype, scratch.norm);
            Attention attn = new Attention(linear(p + "self_attn.q_proj", Parameter.ATTENTION, d, d),
                    linear(p + "self_attn.k_proj", Parameter.ATTENTION, d, d),
                    linear(p + "self_attn.v_proj", Parameter.ATTENTION, d, d),
                    linear(p + "self_attn.o_proj", Parameter.ATTENTION, d, d),
                    cfg.heads, cfg.headDim(), rope, cfg.attentionBlock, saved.attention, scratch.attention);
            RMSNorm norm2 = new RMSNorm(p + "post_attention_layernorm", d, cfg.rmsEps, dtype, scratch.norm);
            SwiGluMlp mlp = new SwiGluMlp(linear(p + "mlp.gate_proj", Parameter.MLP, f, d),
                    linear(p + "mlp.down_proj", Parameter.MLP, d, f),
                    linear(p + "mlp.up_proj", Parameter.MLP, f, d), f, saved.mlp, scratch.mlp);
            blocks.add(new DecoderBlock(norm1, attn, norm2, mlp, saved, scratch));
        }
        finalNorm = new RMSNorm("model.norm", d, cfg.rmsEps, dtype, scratch.norm);
        head = new LmHeadLoss("lm_head", cfg.vocabSize, d, dtype);

        parameters.add(embed.parameter());
        blocks.forEach(b -> parameters.addAll(b.parameters()));
        parameters.add(finalNorm.parameter());
        parameters.add(head.parameter());
        residuals = new INDArray[cfg.layers + 1];
    }

    private Linear linear(String name, String role, int out, int in) {
        if (!cfg.sltrain) return new DenseLinear(name, role, out, in, dtype);
        long seed = cfg.slSeed * 1_000_003L + name.hashCode();   // fixed per layer name: same on every replica
        return new SLTrainLinear(name, role, out, in, cfg.slRank, cfg.slAlpha, cfg.supportSize(out, in), seed, dtype);
    }

    /** A new model: N(0, 0.02) weights, unit norms, SLTrain's init; the same values for any dtype. */
    public static LlamaModel init(LlamaConfig cfg, long seed, DataType dtype) {
        LlamaModel m = new LlamaModel(cfg, dtype);
        SplittableRandom rng = new SplittableRandom(seed);
        m.embed.init(rng);
        m.blocks.forEach(b -> b.linears().forEach(l -> l.init(rng)));
        m.head.init(rng);
        return m;
    }

    /** A model whose weights come from a safetensors file (see {@link #loadSafetensors}). */
    public static LlamaModel fromSafetensors(LlamaConfig cfg, Path file, DataType dtype) throws IOException {
        LlamaModel m = new LlamaModel(cfg, dtype);
        m.loadSafetensors(file);
        return m;
    }

    public LlamaConfig config() {
        return cfg;
    }

    public DataType dataType() {
        return dtype;
    }

    /** Every tensor in the reference's order; SLTrain's support tensors are the non-trainable ones. */
    public List<Parameter> parameters() {
        return parameters;
    }

    /** The live value arrays of the trainable parameters, in {@link #parameters()} order. */
    public List<INDArray> trainableValues() {
        return parameters.stream().filter(Parameter::trainable).map(Parameter::value).toList();
    }

    /** The live gradient arrays, aligned with {@link #trainableValues()}. */
    public List<INDArray> gradients() {
        return parameters.stream().filter(Parameter::trainable).map(Parameter::grad).toList();
    }

    /** Copies values (any float dtype) into the trainable parameters, in {@link #trainableValues()} order. */
    public void setTrainableValues(List<INDArray> values) {
        List<INDArray> mine = trainableValues();
        if (values.size() != mine.size())
            throw new IllegalArgumentException("expected " + mine.size() + " tensors, got " + values.size());
        for (int i = 0; i < mine.size(); i++) {
            if (!Arrays.equals(mine.get(i).shape(), values.get(i).shape()))
                throw new IllegalArgumentException("tensor " + i + ": shape " + Arrays.toString(values.get(i).shape())
                        + " != " + Arrays.toString(mine.get(i).shape()));
            mine.get(i).assign(values.get(i));
        }
    }

    /**
     * Forward and backward on stored sequences: inputs tokens[:, :-1], targets tokens[:, 1:];
     * targets equal to {@code ignoreIndex} are not counted. Writes each trainable gradient of the
     * mean loss over counted targets (all zero when none count).
     */
    public LossResult forwardBackward(int[][] tokens, int ignoreIndex) {
        Batch b = new Batch(tokens, ignoreIndex);
        INDArray x = hidden(b);
        ensureBackward(b.n);
        LossResult r = head.forwardBackward(x, b.flatTargets, b.counted, dNormed);
        if (r.count() == 0) {
            gradients().forEach(g -> g.assign(0));
            return r;
        }
        finalNorm.backward(residuals[cfg.layers], dNormed, dResidual.assign(0));
        for (int i = cfg.layers - 1; i >= 0; i--) {
            // Rewrites residuals[i + 1] with the same values; backward has read its last of it.
            if (cfg.recomputeActivations) blocks.get(i).forward(residuals[i], residuals[i + 1], b.batch, b.seq);
            blocks.get(i).backward(residuals[i], dResidual, b.batch, b.seq);
        }
        embed.backward(b.ids, dResidual);
        return r;
    }

    public LossResult forwardBackward(INDArray tokens, int ignoreIndex) {
        return forwardBackward(tokens.toIntMatrix(), ignoreIndex);
    }

    /** Forward only: the summed loss over counted targets and their number. */
    public LossResult loss(int[][] tokens, int ignoreIndex) {
        Batch b = new Batch(tokens, ignoreIndex);
        return head.forward(hidden(b), b.flatTargets, b.counted);
    }

    /** Logits [B, T, V] for input rows of T tokens each (no shift: position t predicts t + 1). */
    public INDArray logits(int[][] inputs) {
        int[][] padded = Arrays.stream(inputs).map(r -> Arrays.copyOf(r, r.length + 1)).toArray(int[][]::new);
        Batch b = new Batch(padded, -1);
        INDArray out = Nd4j.create(dtype, b.n, cfg.vocabSize);
        head.logits(hidden(b), out);
        return out.reshape(b.batch, b.seq, cfg.vocabSize);
    }

    /** Embedding, blocks and final norm; returns the normed last hidden state [N, D]. */
    private INDArray hidden(Batch b) {
        ensureForward(b.n);
        embed.forward(b.ids, residuals[0]);
        for (int i = 0; i < cfg.layers; i++)
            blocks.get(i).forward(residuals[i], residuals[i + 1], b.batch, b.seq);
        finalNorm.forward(residuals[cfg.layers], normed);
        return normed;
    }

    /** Allocates the residual stream and the final norm's output when the row count changes. */
    private void ensureForward(long n) {
        if (normed != null && normed.rows() == n) return;
        for (int i = 0; i <= cfg.layers; i++) residuals[i] = Nd4j.create(dtype, n, cfg.hidden);
        normed = Nd4j.create(dtype, n, cfg.hidden);
    }

    /** Allocated by the first backward: a model that only evaluates never holds them. */
    private void ensureBackward(long n) {
        if (dResidual != null && dResidual.rows() == n) return;
        dNormed = Nd4j.create(dtype, n, cfg.hidden);
        dResidual = Nd4j.create(dtype, n, cfg.hidden);
    }

    /** Dense weights under Hugging Face LlamaForCausalLM names; SLTrain layers are densified. */
    public Map<String, INDArray> exportDenseWeights() {
        Map<String, INDArray> out = new LinkedHashMap<>();
        out.put(embed.parameter().name(), embed.parameter().value());
        blocks.forEach(b -> b.exportDense(out));
        out.put(finalNorm.parameter().name(), finalNorm.parameter().value());
        out.put(head.parameter().name(), head.parameter().value());
        return out;
    }

    /** Writes {@link #exportDenseWeights()} (loadable by Hugging Face) as FLOAT or BFLOAT16. */
    public void saveSafetensors(Path file, DataType fileType) throws IOException {
        Safetensors.write(file, exportDenseWeights(), fileType);
    }

    /** Writes every parameter under its own name (SLTrain keeps its factors and support). */
    public void saveParameters(Path file, DataType fileType) throws IOException {
        Map<String, INDArray> m = new LinkedHashMap<>();
        parameters.forEach(p -> m.put(p.name(), p.value()));
        Safetensors.write(file, m, fileType);
    }

    /**
     * Loads every parameter by name: Hugging Face names for a dense model, the names of
     * {@link #parameters()} for an SLTrain model. Missing, unexpected or mis-shaped tensors fail
     * naming the file and the tensor; RoPE's stored inv_freq is ignored.
     */
    public void loadSafetensors(Path file) throws IOException {
        Map<String, INDArray> loaded = Safetensors.read(file, dtype);
        for (Parameter p : parameters) {
            INDArray a = loaded.remove(p.name());
            if (a == null)
                throw new IOException(file + ": missing tensor '" + p.name() + "'"
                        + (cfg.sltrain ? " (an SLTrain model loads files written by saveParameters)" : ""));
            if (!Arrays.equals(a.shape(), p.value().shape()))
                throw new IOException(file + ": tensor '" + p.name() + "' has shape " + Arrays.toString(a.shape())
                        + ", the model (" + cfg + ") expects " + Arrays.toString(p.value().shape()));
            if ((a.dataType() == DataType.LONG) != (p.value().dataType() == DataType.LONG))
                throw new IOException(file + ": tensor '" + p.name() + "' has dtype " + a.dataType()
                        + ", expected " + p.value().dataType());
            p.value().assign(a);
        }
        loaded.keySet().removeIf(k -> k.endsWith("rotary_emb.inv_freq"));
        if (!loaded.isEmpty())
            throw new IOException(file + ": unexpected tensor '" + loaded.keySet().iterator().next()
                    + "' (" + loaded.size() + " unexpected in all) for " + cfg);
    }

    /** Token ids of a batch of stored sequences, shifted into inputs and targets. */
    private final class Batch {
        final int batch;
        final int seq;
        final long n;
        final INDArray ids;
        final INDArray flatTargets;
        final INDArray counted;

        Batch(int[][] tokens, int ignoreIndex) {
            batch = tokens.length;
            if (batch == 0 || tokens[0].length < 2)
                throw new IllegalArgumentException("need at least one sequence of at least 2 tokens");
            seq = tokens[0].length - 1;
            if (seq > cfg.maxSeqLen)
                throw new IllegalArgumentException("sequence of " + seq + " inputs exceeds maxSeqLen " + cfg.maxSeqLen);
            n = (long) batch * seq;
            long[] in = new long[(int) n], flat = new long[(int) n];
            double[] use = new double[(int) n];
            for (int r = 0; r < batch; r++) {
                if (tokens[r].length != seq + 1)
                    throw new IllegalArgumentException("row " + r + " has " + tokens[r].length + " tokens, row 0 has " + (seq + 1));
                for (int t = 0; t < seq; t++) {
                    int i = r * seq + t, x = tokens[r][t], y = tokens[r][t + 1];
                    in[i] = checkId(x, r, t);
                    boolean counts = y != ignoreIndex;
                    flat[i] = (long) i * cfg.vocabSize + (counts ? checkId(y, r, t + 1) : 0);
                    use[i] = counts ? 1 : 0;
                }
            }
            ids = Nd4j.createFromArray(in);
            flatTargets = Nd4j.createFromArray(flat);
            counted = Nd4j.createFromArray(use).reshape(n, 1).castTo(dtype);
        }

        private int checkId(int id, int row, int col) {
            if (id < 0 || id >= cfg.vocabSize)
                throw new IllegalArgumentException("token " + id + " at [" + row + ", " + col
                        + "] is outside the vocabulary [0, " + cfg.vocabSize + ")");
            return id;
        }
    }
}
