package io.frugalspark.optim.state;

import java.util.Arrays;

/**
 * A tensor's state-full subspace as data: a block flag (the whole tensor active or inactive), a
 * coordinate subset (indices in drawn order), or a projection basis (left m x r, right r x n, either
 * absent). Identical on every replica: copied, never averaged.
 */
public sealed interface SubspaceRecord {

    /** Bytes of what the selection keeps alive (indices, bases); 0 for blocks. */
    long bytes();

    /** Block selection: the whole tensor is state-full or wholly state-free. */
    record BlockFlag(boolean active) implements SubspaceRecord {
        public static final BlockFlag ACTIVE = new BlockFlag(true);
        public static final BlockFlag INACTIVE = new BlockFlag(false);

        @Override
        public long bytes() {
            return 0;
        }
    }

    /** A coordinate subset: column, row or flat indices (row = i / n, col = i % n). */
    record CoordinateSet(CoordinateChoice choice, int[] indices) implements SubspaceRecord {
        public CoordinateSet {
            indices = indices.clone();
        }

        @Override
        public int[] indices() {
            return indices.clone();
        }

        @Override
        public long bytes() {
            return 4L * indices.length;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof CoordinateSet c && choice == c.choice && Arrays.equals(indices, c.indices);
        }

        @Override
        public int hashCode() {
            return 31 * choice.hashCode() + Arrays.hashCode(indices);
        }
    }

    /** GaLore-style projection bases; at least one side is present. */
    record ProjectionBasis(HostArray left, HostArray right) implements SubspaceRecord {
        public ProjectionBasis {
            if (left == null && right == null) {
                throw new IllegalArgumentException("a projection needs a left or a right basis");
            }
        }

        @Override
        public long bytes() {
            return (left == null ? 0 : left.byteSize()) + (right == null ? 0 : right.byteSize());
        }
    }
}
