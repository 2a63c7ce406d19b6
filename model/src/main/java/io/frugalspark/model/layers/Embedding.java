package io.frugalspark.model.layers;

import io.frugalspark.model.Parameter;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Token embedding: row lookup forward, scatter-add of rows backward. */
public final class Embedding {
    private final Parameter w;

    public Embedding(String name, int vocab, int dim, DataType dtype) {
        w = Parameter.trainable(name + ".weight", Parameter.EMBEDDING, Nd4j.create(dtype, vocab, dim));
    }

    public Parameter parameter() {
        return w;
    }

    /** @param ids token ids [N] (int64) */
    public void forward(INDArray ids, INDArray y) {
        Ops.gather(w.value(), ids, y);
    }

    public void backward(INDArray ids, INDArray gY) {
        w.grad().assign(0);
        Ops.scatterAdd(w.grad(), ids, gY);
    }

    public void init(SplittableRandom rng) {
        Ops.normal(w.value(), rng, 0.02);
    }
}
