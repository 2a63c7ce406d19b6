package io.frugalspark.optim.state;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The subspace of every projectable tensor at one re-selection, by tensor name in group order: what the
 * driver builds from averaged gradients (svd) and every replica applies. Travels in the state format
 * (Java serialization goes through {@link StateCodec}).
 */
public record Selection(Map<String, SubspaceRecord> subspaces) implements Serializable {

    public Selection {
        subspaces = Collections.unmodifiableMap(new LinkedHashMap<>(subspaces));
    }

    private Object writeReplace() {
        return new Wire(StateCodec.encode(this));
    }

    /** The serialized form: the codec's bytes. */
    private record Wire(byte[] bytes) implements Serializable {
        private Object readResolve() {
            return StateCodec.decodeSelection(bytes);
        }
    }
}
