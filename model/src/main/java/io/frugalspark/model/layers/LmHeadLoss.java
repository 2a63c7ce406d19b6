package io.frugalspark.model.layers;

import io.frugalspark.model.LossResult;
import io.frugalspark.model.Parameter;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Untied lm_head and next-token cross entropy, mean over targets that are not the ignore index.
 * The logits buffer is turned into exp(logits - max) by forward and into dL/dlogits by backward,
 * so the largest activation is held once.
 */
public final class LmHeadLoss {
    private final Parameter w;

    public LmHeadLoss(String name, int vocab, int dim, DataType dtype) {
        w = Parameter.trainable(name + ".weight", Parameter.LM_HEAD, Nd4j.create(dtype, vocab, dim));
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
     * @param targets flat index row * V + target of every row ([N], int64; any in-row index for ignored rows)
     * @param counted 1 for counted rows, 0 for ignored ones ([N, 1], model dtype)
     */
    public LossResult forward(INDArray x, INDArray targets, INDArray counted, Buffers act) {
        long n = x.rows(), vocab = w.value().rows();
        INDArray z = act.get("head.logits", n, vocab);
        logits(x, z);
        z.subiColumnVector(z.max(true, 1));
        INDArray picked = Nd4j.create(z.dataType(), n);
        Ops.gather(z.reshape(-1), targets, picked);
        Transforms.exp(z, false);
        INDArray sum = act.get("head.sum", n, 1).assign(z.sum(true, 1));
        // loss of row i = log(sum_j exp(z_ij)) - z_i,target
        INDArray rowLoss = Transforms.log(sum, true).reshape(n).subi(picked).muli(counted.reshape(n));
        return new LossResult(rowLoss.castTo(DataType.DOUBLE).sumNumber().doubleValue(),
                counted.sumNumber().longValue());
    }

    /** Writes the head's gradient of (sum of counted losses) / count and sets gX. */
    public void backward(INDArray x, INDArray targets, INDArray counted, long count, INDArray gX, Buffers act) {
        INDArray z = act.get("head.logits");
        INDArray weight = counted.div(count);
        z.muliColumnVector(weight.div(act.get("head.sum")));                  // softmax / count
        Ops.scatterAdd(z.reshape(-1), targets, weight.reshape(weight.length()).neg());  // - onehot / count
        Ops.mm(z, x, w.grad(), true, false, 1, 0);
        Ops.mm(z, w.value(), gX, false, false, 1, 0);
    }
}
