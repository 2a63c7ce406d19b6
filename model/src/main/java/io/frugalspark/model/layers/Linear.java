package io.frugalspark.model.layers;

import io.frugalspark.model.Parameter;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A bias-free linear y = x W^T with W of shape [out, in] (PyTorch layout); x is [N, in]. */
public interface Linear {
    void forward(INDArray x, INDArray y);

    /**
     * Writes (=) the weight gradients of gY and ADDS gY W to gX (gX += dL/dx), the convention of
     * every backward in this package: a caller that wants dL/dx alone passes a zeroed gX.
     */
    void backward(INDArray x, INDArray gY, INDArray gX);

    /** Trainable tensors first-to-last in the reference's order, then any fixed ones. */
    List<Parameter> parameters();

    /** The dense W [out, in]; a fresh array for factored layers. */
    INDArray denseWeight();

    /** The Hugging Face name of the dense weight, e.g. {@code model.layers.0.mlp.up_proj.weight}. */
    String weightName();

    void init(SplittableRandom rng);
}
