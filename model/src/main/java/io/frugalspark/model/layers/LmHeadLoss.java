package io.frugalspark.model.layers;

import io.frugalspark.model.LossResult;
import io.frugalspark.model.Parameter;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Untied lm_head and next-token cross entropy, mean over targets that are not the ignore index.
 * Rows are processed in chunks: each chunk's logits become softmax, loss and dL/dlogits in one
 * buffer, and with gradients requested the chunk's two gradient GEMMs run before the next chunk,
 * so only [chunk, V] logits are ever held (not [N, V]) and no logits GEMM is repeated.
 */
public final class LmHeadLoss {
    /** 512 x 32000 floats = 62.5 MiB of logits, not 250 MiB for a whole 8 x 256 batch; 256 rows cost 20 % more time (BENCHMARKS.md). */
    public static final int DEFAULT_CHUNK_ROWS = 512;

    private final Parameter w;
    private final int chunkRows;
    /** [chunkRows, V]: one chunk's logits, then exp(logits - max), then dL/dlogits. */
    private final INDArray z;

    public LmHeadLoss(String name, int vocab, int dim, DataType dtype) {
        this(name, vocab, dim, dtype, DEFAULT_CHUNK_ROWS);
    }

    public LmHeadLoss(String name, int vocab, int dim, DataType dtype, int chunkRows) {
        if (chunkRows < 1) throw new IllegalArgumentException("chunkRows must be at least 1, not " + chunkRows);
        w = Parameter.trainable(name + ".weight", Parameter.LM_HEAD, Nd4j.create(dtype, vocab, dim));
        this.chunkRows = chunkRows;
        z = Nd4j.create(dtype, new long[] {chunkRows, vocab}, 'c');
    }

    public Parameter parameter() {
        return w;
    }

    public void init(SplittableRandom rng) {
        Ops.normal(w.value(), rng, 0.02);
    }

    public void logits(INDArray x, INDArray out) {
        Ops.mm(x, w.value(), out, false, true, 1, 0);
    }

    /**
     * The summed loss over counted rows, without gradients (evaluation).
     *
     * @param targets flat index row * V + target of every row ([N], int64; any in-row index for ignored rows)
     * @param counted 1 for counted rows, 0 for ignored ones ([N, 1], model dtype)
     */
    public LossResult forward(INDArray x, INDArray targets, INDArray counted) {
        return run(x, targets, counted, null);
    }

    /**
     * The summed loss, and the gradients of (sum of counted losses) / count: written (not added)
     * into the head's gradient and into {@code gX} [N, D]; both zero when no row counts.
     */
    public LossResult forwardBackward(INDArray x, INDArray targets, INDArray counted, INDArray gX) {
        return run(x, targets, counted, gX);
    }

    private LossResult run(INDArray x, INDArray targets, INDArray counted, INDArray gX) {
        long n = x.rows(), vocab = w.value().rows(), count = counted.sumNumber().longValue();
        if (gX != null && count == 0) {
            w.grad().assign(0);
            gX.assign(0);
            return new LossResult(0, 0);
        }
        double loss = 0;
        long[] flat = targets.toLongVector();
        for (int start = 0; start < n; start += chunkRows) {
            int end = (int) Math.min(n, start + chunkRows);
            INDArrayIndex rows = NDArrayIndex.interval(start, end), all = NDArrayIndex.all();
            INDArray idx = chunkTargets(flat, start, end, vocab);
            INDArray use = counted.get(rows, all);
            INDArray zc = chunk(end - start), picked = Nd4j.create(z.dataType(), end - start);
            INDArray sum = expShifted(x.get(rows, all), idx, zc, picked);
            // loss of row i = log(sum_j exp(z_ij - max_i)) - (z_i,target - max_i)
            loss += Transforms.log(sum, true).reshape(end - start).subi(picked).muli(use.reshape(end - start))
                    .castTo(DataType.DOUBLE).sumNumber().doubleValue();
            if (gX == null) continue;
            INDArray weight = use.div(count);
            zc.muliColumnVector(weight.div(sum));                                     // softmax / count
            Ops.scatterAdd(z.reshape(-1), idx, weight.reshape(weight.length()).neg());  // - onehot / count
            Ops.mm(zc, x.get(rows, all), w.grad(), true, false, 1, start == 0 ? 0 : 1);
            Ops.mm(zc, w.value(), gX.get(rows, all), false, false, 1, 0);
        }
        return new LossResult(loss, count);
    }

    /** The chunk's targets as flat indices into z, whose first (end - start) rows hold the chunk. */
    private static INDArray chunkTargets(long[] flat, int start, int end, long vocab) {
        long[] idx = new long[end - start];
        for (int i = 0; i < idx.length; i++) idx[i] = flat[start + i] - start * vocab;
        return Nd4j.createFromArray(idx);
    }

    /** The first {@code rows} rows of z (a contiguous view, or z itself). */
    private INDArray chunk(long rows) {
        return rows == chunkRows ? z : z.get(NDArrayIndex.interval(0, rows), NDArrayIndex.all());
    }

    /** zc = exp(x W^T - row max), picked = the targets' logits - row max; returns the row sums of zc. */
    private INDArray expShifted(INDArray xc, INDArray idx, INDArray zc, INDArray picked) {
        logits(xc, zc);
        zc.subiColumnVector(zc.max(true, 1));
        Ops.gather(z.reshape(-1), idx, picked);
        Transforms.exp(zc, false);
        return zc.sum(true, 1);
    }
}
