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
    private List<INDArray> masks;
    private int maskSeq = -1;

    public Attention(Linear q, Linear k, Linear v, Linear o, int heads, int headDim, Rope rope, int blockRows) {
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
    }

    public List<Linear> linears() {
        return List.of(q, k, v, o);
    }

    /** x, y: [B*T, D]. Keeps rotated q, k, v, the probabilities and the merged heads in {@code act}. */
    public void forward(INDArray x, INDArray y, int batch, int seq, Buffers act, Buffers tmp) {
        long bh = (long) batch * heads, n = x.rows();
        INDArray lin = tmp.get("attn.lin", n, x.columns());
        INDArray qh = act.get("attn.q", bh, seq, headDim);
        INDArray kh = act.get("attn.k", bh, seq, headDim);
        INDArray vh = act.get("attn.v", bh, seq, headDim);
        INDArray rotated = tmp.get("attn.rot", n, x.columns());
        q.forward(x, lin);
        rope.apply(lin, rotated, batch, seq, false, tmp);
        merged(qh, batch, seq).assign(split(rotated, batch, seq));
        k.forward(x, lin);
        rope.apply(lin, rotated, batch, seq, false, tmp);
        merged(kh, batch, seq).assign(split(rotated, batch, seq));
        v.forward(x, lin);
        merged(vh, batch, seq).assign(split(lin, batch, seq));

        INDArray ctx = tmp.get("attn.ctx", bh, seq, headDim);
        attend(qh, kh, vh, ctx, seq, act);
        INDArray concat = act.get("attn.out", n, x.columns());
        split(concat, batch, seq).assign(merged(ctx, batch, seq));
        o.forward(concat, y);
    }

    /** Writes weight gradients and sets gX = dL/dx. */
    public void backward(INDArray x, INDArray gY, INDArray gX, int batch, int seq, Buffers act, Buffers tmp) {
        long bh = (long) batch * heads, n = x.rows();
        INDArray lin = tmp.get("attn.lin", n, x.columns());
        o.backward(act.get("attn.out"), gY, lin, false);
        INDArray dctx = tmp.get("attn.ctx", bh, seq, headDim);
        merged(dctx, batch, seq).assign(split(lin, batch, seq));

        INDArray dq = tmp.get("attn.dq", bh, seq, headDim);
        INDArray dk = tmp.get("attn.dk", bh, seq, headDim);
        INDArray dv = tmp.get("attn.dv", bh, seq, headDim);
        attendBackward(dctx, dq, dk, dv, seq, act, tmp);

        INDArray rotated = tmp.get("attn.rot", n, x.columns());
        split(rotated, batch, seq).assign(merged(dq, batch, seq));
        rope.apply(rotated, lin, batch, seq, true, tmp);
        q.backward(x, lin, gX, false);
        split(rotated, batch, seq).assign(merged(dk, batch, seq));
        rope.apply(rotated, lin, batch, seq, true, tmp);
        k.backward(x, lin, gX, true);
        split(lin, batch, seq).assign(merged(dv, batch, seq));
        v.backward(x, lin, gX, true);
    }

    /** ctx = softmax(scale Q K^T + causal mask) V, row block by row block; keeps each block's P in act. */
    private void attend(INDArray qh, INDArray kh, INDArray vh, INDArray ctx, int seq, Buffers act) {
        long bh = qh.size(0);
        List<INDArray> masks = masks(seq, qh.dataType());
        for (int blk = 0; blk * blockRows < seq; blk++) {
            int r0 = blk * blockRows, r1 = Math.min(seq, r0 + blockRows);
            INDArray p = act.get("attn.p" + blk, bh, r1 - r0, r1);         // scores, then probabilities
            Ops.bmm(rows(qh, r0, r1), rows(kh, 0, r1), p, false, true, scale, 0);
            p.reshape(bh, (long) (r1 - r0) * r1).addiRowVector(masks.get(blk));
            Nd4j.exec(new SoftMax(p, p, 2));
            Ops.bmm(p, rows(vh, 0, r1), rows(ctx, r0, r1), false, false, 1, 0);
        }
    }

    /** Sets dq, dk, dv from dL/dctx and the P that {@link #attend} kept, row block by row block. */
    private void attendBackward(INDArray dctx, INDArray dq, INDArray dk, INDArray dv, int seq, Buffers act, Buffers tmp) {
        INDArray qh = act.get("attn.q"), kh = act.get("attn.k"), vh = act.get("attn.v");
        // Last block first: it spans every key, so it writes dk and dv whole and earlier blocks add.
        for (int blk = (seq - 1) / blockRows; blk >= 0; blk--) {
            int r0 = blk * blockRows, r1 = Math.min(seq, r0 + blockRows);
            double beta = r1 == seq ? 0 : 1;
            INDArray p = act.get("attn.p" + blk), dctxRows = rows(dctx, r0, r1);
            Ops.bmm(p, dctxRows, rows(dv, 0, r1), true, false, 1, beta);
            INDArray ds = tmp.get("attn.ds" + blk, dq.size(0), r1 - r0, r1);
            Ops.bmm(dctxRows, rows(vh, 0, r1), ds, false, true, 1, 0);   // dL/dP
            softmaxBackward(p, ds, tmp);                                 // becomes dL/dS, S = scale Q K^T
            Ops.bmm(ds, rows(kh, 0, r1), rows(dq, r0, r1), false, false, scale, 0);
            Ops.bmm(ds, rows(qh, r0, r1), rows(dk, 0, r1), true, false, scale, beta);
        }
    }

    /** dS = P * (dP - rowsum(dP * P)), in place in dp; P and dP are one contiguous row block. */
    private static void softmaxBackward(INDArray p, INDArray dp, Buffers tmp) {
        long rows = p.length() / p.size(2);
        INDArray p2 = p.reshape(rows, p.size(2)), dp2 = dp.reshape(rows, p.size(2));
        INDArray dot = tmp.get("attn.dot", rows);
        Nd4j.exec(new Dot(dp2, p2, dot, 1));
        dp2.subiColumnVector(dot.reshape(rows, 1)).muli(p2);
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
