package io.frugalspark.optim.subspace;

import io.frugalspark.optim.state.SubspaceRecord;
import io.frugalspark.optim.state.SubspaceRecord.BlockFlag;

/** Block selection: the whole tensor is state-full (active) or wholly state-free (inactive). */
public enum Block implements Subspace {
    ACTIVE, INACTIVE;

    public static Block of(boolean active) {
        return active ? ACTIVE : INACTIVE;
    }

    @Override
    public long bytes() {
        return 0;
    }

    @Override
    public SubspaceRecord record() {
        return this == ACTIVE ? BlockFlag.ACTIVE : BlockFlag.INACTIVE;
    }
}
