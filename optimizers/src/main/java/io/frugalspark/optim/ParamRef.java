package io.frugalspark.optim;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One trainable tensor handed to the optimizer: Hugging Face name, role, the parameter (updated in
 * place) and its gradient. Linear weights are row-major [out, in].
 */
public record ParamRef(String name, Role role, INDArray param, INDArray grad) {

    public ParamRef {
        if (!java.util.Arrays.equals(param.shape(), grad.shape())) {
            throw new IllegalArgumentException(name + ": gradient shape differs from parameter shape");
        }
    }

    public static ParamRef of(String name, String role, INDArray param, INDArray grad) {
        return new ParamRef(name, Role.of(role), param, grad);
    }

    /** Attention/MLP tensors: matrices may be projected, vectors (SLTrain values) are blocks only. */
    public boolean projectable() {
        return role.projectable();
    }

    public boolean matrix() {
        return param.rank() == 2;
    }
}
