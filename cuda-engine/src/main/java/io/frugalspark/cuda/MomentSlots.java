package io.frugalspark.cuda;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * FRUGAL's block-selection bookkeeping on the device: which tensors have Adam moments this step and where.
 * Regular tensors (embedding, norms, lm_head) always do; of the projectable ones only the k the driver's
 * plan activated, packed into a moment arena sized once for the largest k tensors, so memory is what
 * ALGORITHMS.md section 12 counts. A re-selection re-packs the active set and zeroes the moments (fresh
 * state, step counters reset by the plan); the selection itself (order, rho, AdaFRUGAL) is the driver's.
 */
public final class MomentSlots {

    private final List<TensorSpec> regular = new ArrayList<>();
    private final List<TensorSpec> projectable = new ArrayList<>();
    private final long capacityElements;
    private final int maxActive;
    private ArenaLayout layout;
    private Set<String> active = Set.of();

    /** maxActive: the most projectable tensors any step of the plan activates (round(N * rho_start)). */
    public MomentSlots(List<TensorSpec> tensors, int maxActive) {
        for (TensorSpec t : tensors) (t.projectable() ? projectable : regular).add(t);
        if (maxActive < 0 || maxActive > projectable.size())
            throw new IllegalArgumentException("maxActive " + maxActive + " not in 0.." + projectable.size());
        this.maxActive = maxActive;
        List<TensorSpec> largest = new ArrayList<>(projectable);
        largest.sort(Comparator.comparingLong(TensorSpec::elements).reversed());
        List<TensorSpec> worst = new ArrayList<>(regular);
        worst.addAll(largest.subList(0, maxActive));
        capacityElements = new ArenaLayout(worst).totalElements();   // aligned sizes add up the same in any order
        select(List.of());
    }

    /**
     * Installs a new active set (projectable tensor names); returns true when the layout changed, in
     * which case the engine zeroes the whole moment arena before the step.
     */
    public boolean select(List<String> activeProjectable) {
        Set<String> next = new LinkedHashSet<>(activeProjectable);
        if (next.size() > maxActive) throw new IllegalArgumentException(next.size() + " active tensors, the plan allows " + maxActive);
        if (layout != null && next.equals(active)) return false;
        List<TensorSpec> stateful = new ArrayList<>(regular);
        for (TensorSpec t : projectable) if (next.remove(t.name())) stateful.add(t);
        if (!next.isEmpty()) throw new IllegalArgumentException("not projectable tensors of this model: " + next);
        ArenaLayout candidate = new ArenaLayout(stateful);
        if (candidate.totalElements() > capacityElements)
            throw new IllegalArgumentException("active set needs " + candidate.totalElements() + " moment elements, arena holds " + capacityElements);
        layout = candidate;
        active = Set.copyOf(activeProjectable);
        return true;
    }

    public boolean hasMoments(String tensor) {
        return layout.tensors().contains(tensor);
    }

    /** Offset in floats of this tensor's first (m) moment inside each of the two moment arenas. */
    public long offset(String tensor) {
        return layout.offset(tensor);
    }

    /** Elements of each of the two moment arenas (m and v), allocated once. */
    public long capacityElements() {
        return capacityElements;
    }

    /** Elements in use now: what is zeroed on re-selection. */
    public long usedElements() {
        return layout.totalElements();
    }
}
