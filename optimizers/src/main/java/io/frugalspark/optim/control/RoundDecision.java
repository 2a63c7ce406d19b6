package io.frugalspark.optim.control;

import io.frugalspark.optim.select.BlockSelector;
import io.frugalspark.optim.state.Selection;
import java.io.Serializable;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the driver's AdaFRUGAL controllers decided after a round, for the next one: logged per round
 * and carried in the round plan, so every worker applies the same.
 *
 * @param rho the density of the next round (NaN when rho is fixed)
 * @param updateGap T from the next round on
 * @param reselect whether the next round's first step re-selects (for any rule in {@code fired}):
 *     workers call {@code Optimizer.reselectNext()} there
 * @param active the driver-chosen active blocks for that re-selection (importance selection), group
 *     indices in rank order; null when the selector draws its own
 * @param share the state-full subspace's share of the round's gradient energy (NaN: statistics ignored)
 * @param captured the share energy-targeted rho's best blocks hold (NaN when that rule is off)
 * @param fired the rules that decided, in controller order (rho, T, selection)
 */
public record RoundDecision(double rho, int updateGap, boolean reselect, int[] active, double share, double captured,
        List<Rule> fired) implements Serializable {

    public RoundDecision {
        active = active == null ? null : active.clone();
        fired = List.copyOf(fired);
    }

    /** The active set as the selection workers inject (group: the projectable tensors' names in order), or null. */
    public Selection selection(List<String> group) {
        if (active == null) {
            return null;
        }
        boolean[] flags = new boolean[group.size()];
        for (int i : active) {
            flags[i] = true;
        }
        return BlockSelector.selection(group, flags);
    }

    /** Flat metrics for the round's log line, e.g. {@code control.reselect}, {@code control.rules}. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("control.rho", rho);
        m.put("control.T", updateGap);
        m.put("control.reselect", reselect);
        if (active != null) {
            m.put("control.active", Arrays.stream(active).boxed().toList());
        }
        m.put("control.share", share);
        m.put("control.captured", captured);
        m.put("control.rules", fired.stream().map(Rule::key).toList());
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RoundDecision d && Double.compare(rho, d.rho) == 0 && updateGap == d.updateGap && reselect == d.reselect
                && Arrays.equals(active, d.active) && Double.compare(share, d.share) == 0
                && Double.compare(captured, d.captured) == 0 && fired.equals(d.fired);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(active) + 31 * fired.hashCode() + Boolean.hashCode(reselect) + updateGap;
    }
}
