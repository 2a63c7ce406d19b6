package io.frugalspark.optim.subspace;

import io.frugalspark.optim.OptimizerState;

/**
 * The part of a tensor that the state-full rule sees until the next re-selection: the whole tensor
 * ({@link Block} active), none of it (inactive), or a {@link Projector}'s subspace.
 */
public interface Subspace {

    /** Bytes of the arrays this selection keeps alive (bases, indices); 0 for blocks. */
    long bytes();

    /** Writes the selection under {@code name/...} so that {@link #load} rebuilds it exactly. */
    void save(String name, OptimizerState state);

    static Subspace load(String name, OptimizerState state) {
        if (state.scalars().containsKey(name + Block.KEY)) {
            return state.scalar(name + Block.KEY) != 0 ? Block.ACTIVE : Block.INACTIVE;
        }
        if (state.selections().containsKey(name + Projection.LEFT) || state.selections().containsKey(name + Projection.RIGHT)) {
            return Projection.load(name, state);
        }
        return Coordinates.load(name, state);
    }
}
