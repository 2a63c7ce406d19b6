package io.frugalspark.model.layers;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

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
    /** cos and sin of each position's angles, [maxSeqLen, H*h]: repeated over both halves of every head. */
    private final INDArray cos;
    private final INDArray sin;
    private INDArray mask;

    public Attention(Linear q, Linear k, Linear v, Linear o, int heads, int headDim, int maxSeqLen,
                     double ropeBase, DataType dtype) {
        this.q = q;
        this.k = k;
        this.v = v;
        this.o = o;
        this.heads = heads;
        this.headDim = headDim;
        int half = headDim / 2, width = heads * headDim;
        double[][] c = new double[maxSeqLen][width], s = new double[maxSeqLen][width];
        for (int t = 0; t < maxSeqLen; t++) {
            for (int i = 0; i < width; i++) {
                double angle = t * Math.pow(ropeBase, -2.0 * (i % half) / headDim);
                c[t][i] = Math.cos(angle);
                s[t][i] = Math.sin(angle);
            }
        }
        cos = Nd4j.createFromArray(c).castTo(dtype);
        sin = Nd4j.createFromArray(s).castTo(dtype);
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
        rope(lin, rotated, batch, seq, false, tmp);
        merged(qh, batch, seq).assign(split(rotated, batch, seq));
        k.forward(x, lin);
        rope(lin, rotated, batch, seq, false, tmp);
        merged(kh, batch, seq).assign(split(rotated, batch, seq));
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

        INDArray rotated = tmp.get("attn.rot", n, x.columns());
        split(rotated, batch, seq).assign(merged(dq, batch, seq));
        rope(rotated, lin, batch, seq, true, tmp);
        q.backward(x, lin, gX, false);
        split(rotated, batch, seq).assign(merged(dk, batch, seq));
        rope(rotated, lin, batch, seq, true, tmp);
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

    /**
     * dst = src * cos + rotate_half(src) * sin on [B*T, H*h] rows (or the inverse
     * rotation): first halves get -x2 sin, second halves +x1 sin.
     */
    private void rope(INDArray src, INDArray dst, int batch, int seq, boolean inverse, Buffers tmp) {
        long width = src.columns(), half = headDim / 2;
        INDArray c = cos.get(interval(0, seq), all()).reshape(1, seq * width);
        INDArray s = sin.get(interval(0, seq), all()).reshape(1, seq * width);
        dst.reshape(batch, seq * width).assign(src.reshape(batch, seq * width)).muliRowVector(c);
        INDArray t = tmp.get("attn.ropesin", src.rows(), width);
        t.reshape(batch, seq * width).assign(src.reshape(batch, seq * width)).muliRowVector(s);
        INDArray d3 = dst.reshape(src.rows() * heads, 2, half), t3 = t.reshape(src.rows() * heads, 2, half);
        INDArray first = d3.get(all(), point(0), all()), second = d3.get(all(), point(1), all());
        INDArray firstSin = t3.get(all(), point(0), all()), secondSin = t3.get(all(), point(1), all());
        if (inverse) {
            first.addi(secondSin);
            second.subi(firstSin);
        } else {
            first.subi(secondSin);
            second.addi(firstSin);
        }
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
