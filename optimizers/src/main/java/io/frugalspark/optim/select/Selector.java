package io.frugalspark.optim.select;

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

    /**
     * What a first selection over tensors of {@code shapes} keeps alive, from shapes alone (no arrays,
     * no gradients): the same sizes {@link #select} gives a fresh selector drawing from {@code rng}.
     */
    List<Footprint> footprint(List<long[]> shapes, Density density, SplittableRandom rng);

    /** Whether a changed density makes the current selection stale at once (block counts do). */
    default boolean outdated(List<Subspace> current, Density density) {
        return false;
    }

    /** The selector's own position between re-selections (the block cursor); -1 for selectors without one. */
    default long cursor() {
        return -1;
    }

    /** Restores {@link #cursor()} from a checkpoint. */
    default void restoreCursor(long cursor) {
    }
}
