package io.frugalspark.optim;

import io.frugalspark.optim.StepStats.Part;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * Per-tensor statistics of the projectable group (FRUGAL's blocks, in the optimizer's group order):
 * for each tensor and each part (state-full subspace, state-free complement) the gradient energy
 * (sum of squares), the update energy and the element count. Plain sums, so steps and workers add;
 * added in worker order the driver's totals are deterministic. Element counts add too, so an energy
 * divided by its count is a mean per element and step, whatever the number of steps or workers.
 * This is what the driver-side AdaFRUGAL controllers (importance selection, drift-aware T,
 * energy-targeted rho) read.
 */
public final class TensorStats implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final int GRAD = 0;
    private static final int UPDATE = 1;
    private static final int NUMEL = 2;
    private static final int FIELDS = 3;
    private static final int PER_TENSOR = FIELDS * Part.values().length;

    private final List<String> names;
    private final double[] sums;

    /** Empty statistics over the group {@code names} (kept by reference: pass an immutable list). */
    public TensorStats(List<String> names) {
        this.names = names;
        this.sums = new double[names.size() * PER_TENSOR];
    }

    /** A deep copy, so that accumulating into it leaves {@code other} alone. */
    public static TensorStats copyOf(TensorStats other) {
        TensorStats out = new TensorStats(other.names);
        System.arraycopy(other.sums, 0, out.sums, 0, other.sums.length);
        return out;
    }

    /** Adds one tensor's part: its gradient and update energy and element count. */
    public void record(int tensor, Part part, double gradSq, double updateSq, long numel) {
        int at = slot(tensor, part);
        sums[at + GRAD] += gradSq;
        sums[at + UPDATE] += updateSq;
        sums[at + NUMEL] += numel;
    }

    /** Adds {@code other} (the same group) into this; returns this. */
    public TensorStats add(TensorStats other) {
        if (!names.equals(other.names)) {
            throw new IllegalArgumentException("statistics of different projectable groups: " + names + " vs " + other.names);
        }
        for (int i = 0; i < sums.length; i++) {
            sums[i] += other.sums[i];
        }
        return this;
    }

    public List<String> names() {
        return names;
    }

    /** Number of tensors (blocks) in the group. */
    public int size() {
        return names.size();
    }

    public double gradSq(int tensor, Part part) {
        return sums[slot(tensor, part) + GRAD];
    }

    public double updateSq(int tensor, Part part) {
        return sums[slot(tensor, part) + UPDATE];
    }

    public long numel(int tensor, Part part) {
        return (long) sums[slot(tensor, part) + NUMEL];
    }

    /** The tensor's whole gradient energy, both parts. */
    public double gradSq(int tensor) {
        return gradSq(tensor, Part.STATEFULL) + gradSq(tensor, Part.STATEFREE);
    }

    /** Gradient energy per element (and step) of one tensor; 0 for a tensor never stepped. */
    public double energyPerElement(int tensor) {
        long n = numel(tensor, Part.STATEFULL) + numel(tensor, Part.STATEFREE);
        return n == 0 ? 0 : gradSq(tensor) / n;
    }

    /** Gradient energy of the whole group in one part. */
    public double gradSq(Part part) {
        double sum = 0;
        for (int i = 0; i < size(); i++) {
            sum += gradSq(i, part);
        }
        return sum;
    }

    /** The state-full subspace's share of the group's gradient energy (0 when there is none). */
    public double statefullShare() {
        double full = gradSq(Part.STATEFULL);
        double total = full + gradSq(Part.STATEFREE);
        return total == 0 ? 0 : full / total;
    }

    /** Whether every sum is finite: controllers ignore statistics of a diverged step. */
    public boolean finite() {
        for (double v : sums) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorStats t && names.equals(t.names) && Arrays.equals(sums, t.sums);
    }

    @Override
    public int hashCode() {
        return 31 * names.hashCode() + Arrays.hashCode(sums);
    }

    private static int slot(int tensor, Part part) {
        return tensor * PER_TENSOR + part.ordinal() * FIELDS;
    }
}
