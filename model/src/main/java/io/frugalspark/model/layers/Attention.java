package io.frugalspark.model.layers;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import io.frugalspark.model.Parameter;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Causal multi-head self-attention with rotary embeddings (Hugging Face "rotate_half" pairing:
 * feature i with i + h/2). Heads are laid out [B*H, T, h] so each product is one batched GEMM.
 */
public final class Attention {
    private final Linear q;
    private final Linear k;
    private final Linear v;
    private final Linear o;
    private final int heads;
    private final int headDim;
    private final INDArray cos;
    private final INDArray sin;
    private final INDArray negSin;
    private INDArray mask;

    public Attention(Linear q, Linear k, Linear v, Linear o, int heads, int headDim, int maxSeqLen,
                     double ropeBase, DataType dtype) {
        this.q = q;
        this.k = k;
        this.v = v;
        this.o = o;
        this.heads = heads;
        this.headDim = headDim;
        int half = headDim / 2;
        double[][] c = new double[maxSeqLen][half], s = new double[maxSeqLen][half];
        for (int t = 0; t < maxSeqLen; t++) {
            for (int j = 0; j < half; j++) {
                double angle = t * Math.pow(ropeBase, -2.0 * j / headDim);
                c[t][j] = Math.cos(angle);
                s[t][j] = Math.sin(angle);
            }
        }
        cos = Nd4j.createFromArray(c).castTo(dtype);
        sin = Nd4j.createFromArray(s).castTo(dtype);
        negSin = sin.neg();
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
        q.forward(x, lin);
        rope(split(lin, batch, seq), merged(qh, batch, seq), seq, sin);
        k.forward(x, lin);
        rope(split(lin, batch, seq), merged(kh, batch, seq), seq, sin);
        v.forward(x, lin);
        merged(vh, batch, seq).assign(split(lin, batch, seq));

        INDArray scores = tmp.get("attn.s", bh, seq, seq);
        Ops.bmm(qh, kh, scores, false, true);
        scores.muli(1 / Math.sqrt(headDim));
        scores.reshape(bh, (long) seq * seq).addiRowVector(causalMask(seq, x.dataType()));
        INDArray p = act.get("attn.p", bh, seq, seq);
        Nd4j.exec(new SoftMax(scores, p, 2));

        INDArray ctx = tmp.get("attn.ctx", bh, seq, headDim);
        Ops.bmm(p, vh, ctx, false, false);
        INDArray merged = act.get("attn.out", n, x.columns());
        split(merged, batch, seq).assign(merged(ctx, batch, seq));
        o.forward(merged, y);
    }

    /** Writes weight gradients and sets gX = dL/dx. */
    public void backward(INDArray x, INDArray gY, INDArray gX, int batch, int seq, Buffers act, Buffers tmp) {
        long bh = (long) batch * heads, n = x.rows();
        INDArray lin = tmp.get("attn.lin", n, x.columns());
        o.backward(act.get("attn.out"), gY, lin, false);
        INDArray dctx = tmp.get("attn.ctx", bh, seq, headDim);
        merged(dctx, batch, seq).assign(split(lin, batch, seq));

        INDArray p = act.get("attn.p"), vh = act.get("attn.v");
        INDArray dv = tmp.get("attn.dv", bh, seq, headDim);
        Ops.bmm(p, dctx, dv, true, false);
        INDArray dp = tmp.get("attn.s", bh, seq, seq);
        Ops.bmm(dctx, vh, dp, false, true);
        softmaxBackward(p, dp, tmp);                     // dp becomes dL/dscores
        dp.muli(1 / Math.sqrt(headDim));

        INDArray dq = tmp.get("attn.dq", bh, seq, headDim);
        INDArray dk = tmp.get("attn.dk", bh, seq, headDim);
        Ops.bmm(dp, act.get("attn.k"), dq, false, false);
        Ops.bmm(dp, act.get("attn.q"), dk, true, false);

        rope(merged(dq, batch, seq), split(lin, batch, seq), seq, negSin);  // inverse rotation
        q.backward(x, lin, gX, false);
        rope(merged(dk, batch, seq), split(lin, batch, seq), seq, negSin);
        k.backward(x, lin, gX, true);
        split(lin, batch, seq).assign(merged(dv, batch, seq));
        v.backward(x, lin, gX, true);
    }

    /** dS = P * (dP - rowsum(dP * P)), in place in dp. */
    private static void softmaxBackward(INDArray p, INDArray dp, Buffers tmp) {
        long rows = p.length() / p.size(2);
        INDArray p2 = p.reshape(rows, p.size(2)), dp2 = dp.reshape(rows, p.size(2));
        INDArray t = tmp.get("attn.t", rows, p.size(2)).assign(dp2).muli(p2);
        dp2.subiColumnVector(t.sum(true, 1)).muli(p2);
    }

    /** [B*T, H*h] viewed as [B, H, T, h]. */
    private INDArray split(INDArray a, int batch, int seq) {
        return a.reshape(batch, seq, heads, headDim).permute(0, 2, 1, 3);
    }

    /** [B*H, T, h] viewed as [B, H, T, h]. */
    private INDArray merged(INDArray a, int batch, int seq) {
        return a.reshape(batch, heads, seq, headDim);
    }

    /** dst = rotate(src) by the angles of positions 0..seq-1; pass -sin for the inverse rotation. */
    private void rope(INDArray src, INDArray dst, int seq, INDArray sinTable) {
        int half = headDim / 2;
        INDArray c = cos.get(interval(0, seq), all()), s = sinTable.get(interval(0, seq), all());
        INDArray x1 = src.get(all(), all(), all(), interval(0, half));
        INDArray x2 = src.get(all(), all(), all(), interval(half, headDim));
        dst.get(all(), all(), all(), interval(0, half)).assign(x1.mul(c).subi(x2.mul(s)));
        dst.get(all(), all(), all(), interval(half, headDim)).assign(x2.mul(c).addi(x1.mul(s)));
    }

    /** 0 on and below the diagonal, a large negative number above, flattened to [1, T*T]. */
    private INDArray causalMask(int seq, DataType dtype) {
        if (mask == null || mask.length() != (long) seq * seq) {
            double[] m = new double[seq * seq];
            for (int i = 0; i < seq; i++)
                for (int j = i + 1; j < seq; j++) m[i * seq + j] = -1e9;
            mask = Nd4j.createFromArray(m).reshape(1, (long) seq * seq).castTo(dtype);
        }
        return mask;
    }
}
