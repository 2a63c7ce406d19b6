package io.frugalspark.optim.state;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One tensor's optimizer state: its step counter (reset at a re-selection when the method resets
 * statistics), whether it belongs to the projectable group, the subspace in force, and the
 * state-full rule's moments by name (e.g. exp_avg, exp_avg_sq), shaped like the subspace.
 */
public record TensorRecord(String name, long step, boolean inGroup, SubspaceRecord subspace, Map<String, HostArray> moments) {

    public TensorRecord {
        moments = Collections.unmodifiableMap(new LinkedHashMap<>(moments));
    }

    /** The same tensor with other moments (an averaged copy, say). */
    public TensorRecord withMoments(Map<String, HostArray> m) {
        return new TensorRecord(name, step, inGroup, subspace, m);
    }

    public long bytes() {
        long sum = subspace.bytes();
        for (HostArray a : moments.values()) {
            sum += a.byteSize();
        }
        return sum;
    }
}
