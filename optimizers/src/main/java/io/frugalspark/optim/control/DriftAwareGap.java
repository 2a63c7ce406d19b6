package io.frugalspark.optim.control;

import java.util.HashMap;
import java.util.Map;

/**
 * Drift-aware T: re-select when the state-full subspace no longer holds the gradient. Its share of the
 * projectable group's gradient energy is measured over the first round after each re-selection (the
 * reference); a later round whose share falls below {@code fraction} x reference asks for a
 * re-selection at the next round's first step. Never before T_min steps since the last re-selection,
 * always once T_max have passed (the optimizer's own T is T_max, so that bound also holds within a
 * round). Decisions fall on round boundaries: the driver reads statistics once per round.
 */
public final class DriftAwareGap {
    private final Settings settings;
    private double reference = Double.NaN;

    /**
     * @param tMin fewest steps between re-selections, >= 1
     * @param tMax most steps between re-selections, >= tMin
     * @param fraction of the reference share below which the subspace counts as drifted, in (0, 1]
     */
    public record Settings(int tMin, int tMax, double fraction) {
        public Settings {
            if (tMin < 1 || tMax < tMin) {
                throw new IllegalArgumentException("drift-aware T needs 1 <= T_min <= T_max, got " + tMin + " and " + tMax);
            }
            if (!(fraction > 0 && fraction <= 1)) {
                throw new IllegalArgumentException("drift fraction must lie in (0, 1], got " + fraction);
            }
        }
    }

    /** Checkpointable state: the share measured just after the last re-selection (NaN before any). */
    public record State(double reference) {
        public Map<String, Object> toMap() {
            Map<String, Object> m = new HashMap<>();
            m.put("reference", Double.isNaN(reference) ? null : reference);
            return m;
        }

        public static State fromMap(Map<String, Object> m) {
            return new State(m.get("reference") instanceof Number n ? n.doubleValue() : Double.NaN);
        }
    }

    /**
     * @param reselect whether the next round's first step re-selects
     * @param share the state-full share of gradient energy in the round just observed
     * @param reference the share just after the last re-selection
     */
    public record Decision(boolean reselect, double share, double reference, Rule rule) {}

    public DriftAwareGap(Settings settings) {
        this.settings = settings;
    }

    /** Reads a round; non-finite statistics leave the state unchanged and never re-select ({@link Rule#IGNORED}). */
    public Decision observe(RoundStats round) {
        if (!round.stats().finite()) {
            return new Decision(false, Double.NaN, reference, Rule.IGNORED);
        }
        double share = round.stats().statefullShare();
        long since = round.sinceReselection();
        boolean fresh = since <= round.steps(); // a re-selection fell inside this round
        if (fresh) {
            reference = share;
        }
        if (since >= settings.tMax()) {
            return new Decision(true, share, reference, Rule.T_MAX);
        }
        if (fresh || !(share < settings.fraction() * reference)) {
            return new Decision(false, share, reference, Rule.NONE);
        }
        boolean allowed = since >= settings.tMin();
        return new Decision(allowed, share, reference, allowed ? Rule.DRIFT : Rule.T_MIN);
    }

    public State state() {
        return new State(reference);
    }

    public void restore(State s) {
        reference = s.reference();
    }
}
