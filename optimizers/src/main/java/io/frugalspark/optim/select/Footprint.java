package io.frugalspark.optim.select;

import io.frugalspark.optim.state.HostArray;

/**
 * What one tensor's selection keeps alive, from shapes alone: elements of each state-full moment
 * (0 when the tensor is wholly state-free), elements of stored bases, and stored indices.
 */
public record Footprint(long momentElements, long basisElements, long indices) {
    public static final Footprint NONE = new Footprint(0, 0, 0);

    /** The whole tensor state-full (a regular tensor, an active block, a never-projected vector). */
    public static Footprint whole(long[] shape) {
        return new Footprint(HostArray.numel(shape), 0, 0);
    }

    /** Bytes for {@code moments} moments and bases of {@code width}-byte values, and 4-byte indices. */
    public long bytes(int moments, int width) {
        return (moments * momentElements + basisElements) * width + 4 * indices;
    }
}
