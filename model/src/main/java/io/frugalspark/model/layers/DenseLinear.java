package io.frugalspark.model.layers;

import io.frugalspark.model.Parameter;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Plain linear: one [out, in] weight, init N(0, 0.02). */
public final class DenseLinear implements Linear {
    private final String weightName;
    private final Parameter w;

    public DenseLinear(String name, String role, int out, int in, DataType dtype) {
        weightName = name + ".weight";
        w = Parameter.trainable(weightName, role, Nd4j.create(dtype, out, in));
    }

    @Override
    public void forward(INDArray x, INDArray y) {
        Ops.mm(x, w.value(), y, false, true, 1, 0);
    }

    @Override
    public void backward(INDArray x, INDArray gY, INDArray gX) {
        Ops.mm(gY, x, w.grad(), true, false, 1, 0);
        Ops.mm(gY, w.value(), gX, false, false, 1, 1);
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(w);
    }

    @Override
    public INDArray denseWeight() {
        return w.value();
    }

    @Override
    public String weightName() {
        return weightName;
    }

    @Override
    public void init(SplittableRandom rng) {
        Ops.normal(w.value(), rng, 0.02);
    }
}
