package io.frugalspark.optim.method;

import io.frugalspark.optim.Role;

/** A trainable tensor as the optimizer would see it, without its values: for sizing state from shapes. */
public record TensorShape(String name, Role role, long[] shape) {
    public TensorShape {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }
}
