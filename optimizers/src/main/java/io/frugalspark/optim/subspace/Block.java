package io.frugalspark.optim.subspace;

import io.frugalspark.optim.OptimizerState;

/** Block selection: the whole tensor is state-full (active) or wholly state-free (inactive). */
public enum Block implements Subspace {
    ACTIVE, INACTIVE;

    static final String KEY = "/active";

    public static Block of(boolean active) {
        return active ? ACTIVE : INACTIVE;
    }

    @Override
    public long bytes() {
        return 0;
    }

    @Override
    public void save(String name, OptimizerState state) {
        state.putScalar(name + KEY, this == ACTIVE ? 1 : 0);
    }
}
