package io.frugalspark.optim;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-role, per-subspace statistics of one step: squared gradient norm, squared update norm and
 * element count of the state-full and the state-free part. Plain sums, so workers' stats add.
 */
public final class StepStats implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Where a gradient coordinate went: the state-full subspace or its state-free complement. */
    public enum Part { STATEFULL, STATEFREE }

    private static final String[] FIELDS = {"grad_sq", "update_sq", "numel"};
    private final double[] sums = new double[Role.values().length * Part.values().length * FIELDS.length];

    public void record(Role role, Part part, double gradSq, double updateSq, long numel) {
        int at = slot(role, part);
        sums[at] += gradSq;
        sums[at + 1] += updateSq;
        sums[at + 2] += numel;
    }

    public StepStats add(StepStats other) {
        for (int i = 0; i < sums.length; i++) {
            sums[i] += other.sums[i];
        }
        return this;
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
