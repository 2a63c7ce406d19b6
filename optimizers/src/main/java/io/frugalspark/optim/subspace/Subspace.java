package io.frugalspark.optim.subspace;

import io.frugalspark.optim.HostArrays;
import io.frugalspark.optim.state.SubspaceRecord;
import io.frugalspark.optim.state.SubspaceRecord.BlockFlag;
import io.frugalspark.optim.state.SubspaceRecord.CoordinateSet;
import io.frugalspark.optim.state.SubspaceRecord.ProjectionBasis;

/**
 * The part of a tensor that the state-full rule sees until the next re-selection: the whole tensor
 * ({@link Block} active), none of it (inactive), or a {@link Projector}'s subspace.
 */
public interface Subspace {

    /** Bytes of the arrays this selection keeps alive (bases, indices); 0 for blocks. */
    long bytes();

    /** This selection as state data (arrays copied). */
    SubspaceRecord record();

    /** The live selection for a stored one (arrays copied onto ND4J). */
    static Subspace of(SubspaceRecord r) {
        if (r instanceof BlockFlag b) {
            return Block.of(b.active());
        }
        if (r instanceof CoordinateSet c) {
            return new Coordinates(c.choice(), c.indices());
        }
        ProjectionBasis p = (ProjectionBasis) r;
        return new Projection(p.left() == null ? null : HostArrays.toNd4j(p.left()),
                p.right() == null ? null : HostArrays.toNd4j(p.right()));
    }
}
