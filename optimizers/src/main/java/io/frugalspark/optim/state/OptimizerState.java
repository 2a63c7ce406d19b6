package io.frugalspark.optim.state;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A snapshot of a FRUGAL-family optimizer as typed data, free of any tensor library: global counters
 * and, per tensor in the optimizer's order, a {@link TensorRecord}. Moments are averaged across
 * replicas; everything else is identical on every replica. Written and read by {@link StateCodec}.
 */
public record OptimizerState(Counters counters, List<TensorRecord> tensors) {

    /**
     * @param calls optimizer steps taken
     * @param reselections re-selections made (seeds the next draw)
     * @param rho the density in force; {@code rhoUpdated} once a controller has set it (block counts floor)
     * @param updateGap T, steps between re-selections
     * @param selectorCursor the block selector's position (-1 before its first use, and for other selectors)
     */
    public record Counters(long calls, long reselections, double rho, boolean rhoUpdated, int updateGap, long selectorCursor) {}

    public OptimizerState {
        tensors = List.copyOf(tensors);
    }

    public Optional<TensorRecord> tensor(String name) {
        return tensors.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /** This state with {@code t} in place of the tensor of the same name (appended when new). */
    public OptimizerState with(TensorRecord t) {
        List<TensorRecord> out = new ArrayList<>(tensors);
        int at = names().indexOf(t.name());
        if (at < 0) {
            out.add(t);
        } else {
            out.set(at, t);
        }
        return new OptimizerState(counters, out);
    }

    public List<String> names() {
        return tensors.stream().map(TensorRecord::name).toList();
    }

    /**
     * The step counter of the projectable group's first tensor, which T is counted on; empty before the
     * first selection.
     */
    public OptionalLong groupStep() {
        return tensors.stream().filter(TensorRecord::inGroup).mapToLong(TensorRecord::step).findFirst();
    }

    /** Bytes of all moments and selections. */
    public long bytes() {
        return tensors.stream().mapToLong(TensorRecord::bytes).sum();
    }

    /**
     * Mean of replicas' moments, in replica order; counters and selections from the first. Every replica
     * applied the same selection, so tensors, moment names and layouts must agree.
     */
    public static OptimizerState average(List<OptimizerState> replicas) {
        OptimizerState first = replicas.get(0);
        List<TensorRecord> out = new ArrayList<>();
        for (TensorRecord t : first.tensors) {
            Map<String, HostArray> moments = new LinkedHashMap<>();
            for (Map.Entry<String, HostArray> m : t.moments().entrySet()) {
                List<HostArray> parts = new ArrayList<>();
                for (OptimizerState r : replicas) {
                    HostArray other = r.tensor(t.name()).map(x -> x.moments().get(m.getKey())).orElse(null);
                    if (other == null || !other.sameLayout(m.getValue())) {
                        throw new IllegalArgumentException("replicas disagree on moment '" + t.name() + "/" + m.getKey() + "'");
                    }
                    parts.add(other);
                }
                moments.put(m.getKey(), HostArray.mean(parts));
            }
            out.add(t.withMoments(moments));
        }
        return new OptimizerState(first.counters, out);
    }
}
