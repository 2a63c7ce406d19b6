package io.frugalspark.optim;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-role, per-subspace statistics of one step: squared gradient norm, squared update norm and
 * element count of the state-full and the state-free part. Plain sums, so workers' stats add. Beside
 * them, the same sums per projectable tensor ({@link TensorStats}) that the driver's controllers read.
 */
public final class StepStats implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Where a gradient coordinate went: the state-full subspace or its state-free complement. */
    public enum Part { STATEFULL, STATEFREE }

    private static final String[] FIELDS = {"grad_sq", "update_sq", "numel"};
    private final double[] sums = new double[Role.values().length * Part.values().length * FIELDS.length];
    private TensorStats tensors;

    /** Empty statistics, e.g. an accumulator of steps or workers; the per-tensor part comes with the first add. */
    public StepStats() {
    }

    /** Empty statistics of a step over the projectable group {@code group} (immutable, in group order). */
    public StepStats(List<String> group) {
        this.tensors = group.isEmpty() ? null : new TensorStats(group);
    }

    public void record(Role role, Part part, double gradSq, double updateSq, long numel) {
        int at = slot(role, part);
        sums[at] += gradSq;
        sums[at + 1] += updateSq;
        sums[at + 2] += numel;
    }

    /**
     * As {@link #record(Role, Part, double, double, long)}, and for a projectable tensor (its index
     * {@code tensor} in the group; -1 for a regular tensor) into the per-tensor sums too.
     */
    public void record(int tensor, Role role, Part part, double gradSq, double updateSq, long numel) {
        record(role, part, gradSq, updateSq, numel);
        if (tensor >= 0) {
            tensors.record(tensor, part, gradSq, updateSq, numel);
        }
    }

    public StepStats add(StepStats other) {
        for (int i = 0; i < sums.length; i++) {
            sums[i] += other.sums[i];
        }
        if (other.tensors != null) {
            tensors = tensors == null ? TensorStats.copyOf(other.tensors) : tensors.add(other.tensors);
        }
        return this;
    }

    /** The per-tensor statistics of the projectable group, or null when the steps had none (AdamW). */
    public TensorStats tensors() {
        return tensors;
    }

    public double gradSq(Role role, Part part) {
        return sums[slot(role, part)];
    }

    public double updateSq(Role role, Part part) {
        return sums[slot(role, part) + 1];
    }

    public long numel(Role role, Part part) {
        return (long) sums[slot(role, part) + 2];
    }

    /** Flat metrics, e.g. {@code attention.statefree.grad_sq}, plus totals per part; zero rows left out. */
    public Map<String, Double> toMap() {
        Map<String, Double> out = new LinkedHashMap<>();
        double[] totals = new double[Part.values().length * FIELDS.length];
        for (Role role : Role.values()) {
            for (Part part : Part.values()) {
                int at = slot(role, part);
                if (sums[at + 2] == 0) {
                    continue;
                }
                for (int f = 0; f < FIELDS.length; f++) {
                    out.put(role.key() + "." + key(part) + "." + FIELDS[f], sums[at + f]);
                    totals[part.ordinal() * FIELDS.length + f] += sums[at + f];
                }
            }
        }
        for (Part part : Part.values()) {
            for (int f = 0; f < FIELDS.length; f++) {
                out.put("total." + key(part) + "." + FIELDS[f], totals[part.ordinal() * FIELDS.length + f]);
            }
        }
        return out;
    }

    private static String key(Part part) {
        return part.name().toLowerCase(java.util.Locale.ROOT);
    }

    private static int slot(Role role, Part part) {
        return (role.ordinal() * Part.values().length + part.ordinal()) * FIELDS.length;
    }
}
