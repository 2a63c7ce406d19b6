package io.frugalspark.optim.select;

import io.frugalspark.optim.OptimizerState;
import io.frugalspark.optim.ParamRef;
import io.frugalspark.optim.subspace.Subspace;
import java.util.List;
import java.util.SplittableRandom;

/** Chooses the state-full subspace of every tensor of the projectable group at a re-selection. */
public interface Selector {

    /**
     * Subspaces for {@code group} (in its order), drawn from {@code rng}, which is seeded from
     * (seed, re-selection index) so that every process draws the same.
     */
    List<Subspace> select(List<ParamRef> group, Density density, SplittableRandom rng);

    /** Whether a changed density makes the current selection stale at once (block counts do). */
    default boolean outdated(List<Subspace> current, Density density) {
        return false;
    }

    default void save(OptimizerState state) {
    }

    default void load(OptimizerState state) {
    }
}
