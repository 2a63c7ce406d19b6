package io.frugalspark.model.layers;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce3.Dot;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Causal multi-head self-attention with rotary embeddings ({@link Rope}). Heads are laid out
 * [B*H, T, h] so each product is one batched GEMM.
 * The scores are computed in row blocks of queries, each against only the keys at or before its
 * last query, so the masked upper triangle is (up to the diagonal blocks) never computed, held or
 * differentiated; each block's softmax and its backward run on that block while it is in cache.
 */
public final class Attention {
    /** What forward keeps for backward; one per layer, or one shared when activations are recomputed. */
    public static final class Activations {
        /** [B*H, T, h]: the rotated queries. */
        private INDArray queries;
        /** [B*H, T, h]: the rotated keys. */
        private INDArray keys;
        /** [B*H, T, h]. */
        private INDArray values;
        /** Per row block [r0, r1): softmax probabilities [B*H, r1 - r0, r1]. */
        private List<INDArray> probs;
        /** [B*T, H*h]: the heads' contexts merged back into rows, o's input. */
        private INDArray context;
    }

    /**
     * Temporaries of one forward or backward; one instance serves every attention layer of a model.
     * The flat ones have room for the largest row block, [B*H, blockRows, T]; each block uses a
     * contiguous view of their first elements, so only one block of scores is ever held.
     */
    public static final class Scratch {
        /** [B*T, H*h]: one projection's output (q's, k's, then v's). */
        private INDArray proj;
        /** [B*T, H*h]: proj rotated (queries and keys). */
        private INDArray rotated;
        /** [B*H, T, h]: P V per head, merged into {@link Activations#context}. */
        private INDArray headContext;
        /** Flat: one row block's scaled, masked Q K^T, the softmax's input. */
        private INDArray scores;
        /** [B*T, H*h]: dL/dcontext, from o. */
        private INDArray dContext;
        /** [B*H, T, h]: dL/dheadContext, dContext split into heads. */
        private INDArray dHeadContext;
        /** [B*H, T, h]: dL/d of the queries, keys and values. */
        private INDArray dQueries;
        private INDArray dKeys;
        private INDArray dValues;
        /** [B*T, H*h]: dQueries (then dKeys) merged into rows, before the inverse rotation. */
        private INDArray dRotated;
        /** [B*T, H*h]: dL/dproj of q, k, then v: the input gradient of that projection. */
        private INDArray dProj;
        /** Flat: one row block's dL/dP and dL/dS (S the scaled scores). */
        private INDArray dProbs;
        private INDArray dScores;
        /** Flat: one row block's rowsum(dP * P). */
        private INDArray rowDots;
    }

    private final Linear q;
    private final Linear k;
    private final Linear v;
    private final Linear o;
    private final int heads;
    private final int headDim;
    /** The model's one table, shared by every layer. */
    private final Rope rope;
    /** Queries per row block: each block's scores cover only the keys at or before its last query. */
    private final int blockRows;
    private final double scale;
    private final Activations saved;
    private final Scratch scratch;
    private List<INDArray> masks;
    private int maskSeq = -1;

    public Attention(Linear q, Linear k, Linear v, Linear o, int heads, int headDim, Rope rope, int blockRows,
                     Activations saved, Scratch scratch) {
        if (blockRows < 1) throw new IllegalArgumentException("blockRows must be at least 1, not " + blockRows);
        this.q = q;
        this.k = k;
        this.v = v;
        this.o = o;
        this.heads = heads;
        this.headDim = headDim;
        this.blockRows = blockRows;
        this.scale = 1 / Math.sqrt(headDim);
        this.rope = rope;
        this.saved = saved;
        this.scratch = scratch;
    }

    public List<Linear> linears() {
        return List.of(q, k, v, o);
    }

    /** x, y: [B*T, D]. */
    public void forward(INDArray x, INDArray y, int batch, int seq) {
        ensureSaved(x, batch, seq);
        ensureForwardScratch(x, batch, seq);
        Scratch s = scratch;
        q.forward(x, s.proj);
        rope.apply(s.proj, s.rotated, batch, seq, false);
        merged(saved.queries, batch, seq).assign(split(s.rotated, batch, seq));
        k.forward(x, s.proj);
        rope.apply(s.proj, s.rotated, batch, seq, false);
        merged(saved.keys, batch, seq).assign(split(s.rotated, batch, seq));
        v.forward(x, s.proj);
        merged(saved.values, batch, seq).assign(split(s.proj, batch, seq));

        attend(seq);
        split(saved.context, batch, seq).assign(merged(s.headContext, batch, seq));
        o.forward(saved.context, y);
    }

    /** Writes weight gradients and adds dL/dx to gX. */
    public void backward(INDArray x, INDArray gY, INDArray gX, int batch, int seq) {
        ensureBackwardScratch(x, batch, seq);
        Scratch s = scratch;
        o.backward(saved.context, gY, s.dContext.assign(0));
        merged(s.dHeadContext, batch, seq).assign(split(s.dContext, batch, seq));
        attendBackward(seq);

        split(s.dRotated, batch, seq).assign(merged(s.dQueries, batch, seq));
        rope.apply(s.dRotated, s.dProj, batch, seq, true);
        q.backward(x, s.dProj, gX);
        split(s.dRotated, batch, seq).assign(merged(s.dKeys, batch, seq));
        rope.apply(s.dRotated, s.dProj, batch, seq, true);
        k.backward(x, s.dProj, gX);
        split(s.dProj, batch, seq).assign(merged(s.dValues, batch, seq));
        v.backward(x, s.dProj, gX);
    }

    /** headContext = softmax(scale Q K^T + causal mask) V, row block by row block; keeps each block's P. */
    private void attend(int seq) {
        INDArray qh = saved.queries, kh = saved.keys, vh = saved.values;
        long bh = qh.size(0);
        List<INDArray> masks = masks(seq, qh.dataType());
        for (int blk = 0; blk * blockRows < seq; blk++) {
            int r0 = blk * blockRows, r1 = Math.min(seq, r0 + blockRows);
            INDArray scores = block(scratch.scores, bh, r1 - r0, r1), p = saved.probs.get(blk);
            Ops.bmm(rows(qh, r0, r1), rows(kh, 0, r1), scores, false, true, scale, 0);
            scores.reshape(bh, (long) (r1 - r0) * r1).addiRowVector(masks.get(blk));
            Nd4j.exec(new SoftMax(scores, p, 2));
            Ops.bmm(p, rows(vh, 0, r1), rows(scratch.headContext, r0, r1), false, false, 1, 0);
        }
    }

    /** Sets dQueries, dKeys, dValues from dHeadContext and the P that {@link #attend} kept, row block by row block. */
    private void attendBackward(int seq) {
        INDArray qh = saved.queries, kh = saved.keys, vh = saved.values;
        Scratch s = scratch;
        long bh = qh.size(0);
        // Last block first: it spans every key, so it writes dk and dv whole and earlier blocks add.
        for (int blk = (seq - 1) / blockRows; blk >= 0; blk--) {
            int r0 = blk * blockRows, r1 = Math.min(seq, r0 + blockRows);
            double beta = r1 == seq ? 0 : 1;
            INDArray p = saved.probs.get(blk), dContextRows = rows(s.dHeadContext, r0, r1);
            Ops.bmm(p, dContextRows, rows(s.dValues, 0, r1), true, false, 1, beta);
            INDArray dProbs = block(s.dProbs, bh, r1 - r0, r1), dScores = block(s.dScores, bh, r1 - r0, r1);
            Ops.bmm(dContextRows, rows(vh, 0, r1), dProbs, false, true, 1, 0);
            softmaxBackward(p, dProbs, dScores, s.rowDots);
            Ops.bmm(dScores, rows(kh, 0, r1), rows(s.dQueries, r0, r1), false, false, scale, 0);
            Ops.bmm(dScores, rows(qh, r0, r1), rows(s.dKeys, 0, r1), true, false, scale, beta);
        }
    }

    private void ensureSaved(INDArray x, int batch, int seq) {
        long bh = (long) batch * heads;
        if (Ops.fits(saved.queries, bh, seq, headDim)) return;
        DataType dtype = x.dataType();
        saved.queries = Ops.create(dtype, bh, seq, headDim);
        saved.keys = Ops.create(dtype, bh, seq, headDim);
        saved.values = Ops.create(dtype, bh, seq, headDim);
        saved.probs = new ArrayList<>();
        for (int r0 = 0; r0 < seq; r0 += blockRows) {
            int r1 = Math.min(seq, r0 + blockRows);
            saved.probs.add(Ops.create(dtype, bh, r1 - r0, r1));
        }
        saved.context = Ops.create(dtype, x.shape());
    }

    private void ensureForwardScratch(INDArray x, int batch, int seq) {
        long bh = (long) batch * heads;
        Scratch s = scratch;
        if (Ops.fits(s.headContext, bh, seq, headDim)) return;
        s.proj = Ops.create(x.dataType(), x.shape());
        s.rotated = Ops.create(x.dataType(), x.shape());
        s.headContext = Ops.create(x.dataType(), bh, seq, headDim);
        s.scores = Ops.create(x.dataType(), bh * Math.min(blockRows, seq) * seq);
    }

    /** Allocated by the first backward only: a model that only evaluates never holds them. */
    private void ensureBackwardScratch(INDArray x, int batch, int seq) {
        long bh = (long) batch * heads, blockLength = bh * Math.min(blockRows, seq) * seq;
        Scratch s = scratch;
        if (Ops.fits(s.dHeadContext, bh, seq, headDim)) return;
        DataType dtype = x.dataType();
        s.dContext = Ops.create(dtype, x.shape());
        s.dRotated = Ops.create(dtype, x.shape());
        s.dProj = Ops.create(dtype, x.shape());
        s.dHeadContext = Ops.create(dtype, bh, seq, headDim);
        s.dQueries = Ops.create(dtype, bh, seq, headDim);
        s.dKeys = Ops.create(dtype, bh, seq, headDim);
        s.dValues = Ops.create(dtype, bh, seq, headDim);
        s.dProbs = Ops.create(dtype, blockLength);
        s.dScores = Ops.create(dtype, blockLength);
        s.rowDots = Ops.create(dtype, bh * Math.min(blockRows, seq));
    }

    /** The first elements of a flat scratch buffer as a contiguous [shape] view. */
    private static INDArray block(INDArray flat, long... shape) {
        long length = 1;
        for (long d : shape) length *= d;
        return flat.get(interval(0, length)).reshape('c', shape);
    }

    /** dS = P * (dP - rowsum(dP * P)); P, dP and dS are one contiguous row block each. */
    private static void softmaxBackward(INDArray p, INDArray dp, INDArray ds, INDArray rowDots) {
        long rows = p.length() / p.size(2);
        INDArray p2 = p.reshape(rows, p.size(2)), dp2 = dp.reshape(rows, p.size(2));
        INDArray dot = block(rowDots, rows);
        Nd4j.exec(new Dot(dp2, p2, dot, 1));
        ds.reshape(rows, p.size(2)).assign(dp2).subiColumnVector(dot.reshape(rows, 1)).muli(p2);
    }

    /** Rows r0 until r1 of every head of a [B*H, T, h] array (a view). */
    private static INDArray rows(INDArray a, int r0, int r1) {
        return a.get(all(), interval(r0, r1), all());
    }

    /** [B*T, H*h] viewed as [B, H, T, h]. */
    private INDArray split(INDArray a, int batch, int seq) {
        return a.reshape(batch, seq, heads, headDim).permute(0, 2, 1, 3);
    }

    /** [B*H, T, h] viewed as [B, H, T, h]. */
    private INDArray merged(INDArray a, int batch, int seq) {
        return a.reshape(batch, heads, seq, headDim);
    }

    /**
     * Per row block of {@link #blockRows} queries [r0, r1), over keys [0, r1): 0 where key <= query,
     * a large negative number after it, flattened to [1, (r1 - r0) * r1]. Rebuilt when seq changes.
     */
    private List<INDArray> masks(int seq, DataType dtype) {
        if (maskSeq != seq || masks.get(0).dataType() != dtype) {
            masks = new ArrayList<>();
            for (int r0 = 0; r0 < seq; r0 += blockRows) {
                int r1 = Math.min(seq, r0 + blockRows);
                double[] m = new double[(r1 - r0) * r1];
                for (int i = r0; i < r1; i++)
                    for (int j = i + 1; j < r1; j++) m[(i - r0) * r1 + j] = -1e9;
                masks.add(Nd4j.createFromArray(m).reshape(1, m.length).castTo(dtype));
            }
            maskSeq = seq;
        }
        return masks;
    }
}
