package io.frugalspark.model;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A named model tensor as the optimizer sees it. {@code grad} is written (not accumulated) by
 * {@link LlamaModel#forwardBackward}; it is null for non-trainable tensors (SLTrain's support).
 *
 * @param role one of {@link #EMBEDDING}, {@link #NORM}, {@link #ATTENTION}, {@link #MLP}, {@link #LM_HEAD}
 */
public record Parameter(String name, String role, INDArray value, INDArray grad, boolean trainable) {
    public static final String EMBEDDING = "embedding";
    public static final String NORM = "norm";
    public static final String ATTENTION = "attention";
    public static final String MLP = "mlp";
    public static final String LM_HEAD = "lm_head";

    public static Parameter trainable(String name, String role, INDArray value) {
        return new Parameter(name, role, value, value.like(), true);
    }

    public static Parameter frozen(String name, String role, INDArray value) {
        return new Parameter(name, role, value, null, false);
    }
}
