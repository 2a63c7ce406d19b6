package io.frugalspark.optim.schedule;

import io.frugalspark.optim.control.Rule;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdaFRUGAL's loss-aware update gap: at each check, if the validation loss moved by less than tau
 * (relative) and lies under the guard, T grows by gamma (rounded half-to-even, capped at T_max). T
 * never shrinks; the first check compares with +infinity and never grows T.
 *
 * <p>When checks fall: every {@code checkEvery} training steps, counted from the start of the run
 * and independent of how often the trainer evaluates for its log. The driver asks
 * {@link #checksAt(long) checksAt(stepsDone)} after each round (true: evaluate if the round's end
 * has no evaluation yet, then {@link #observe}), and ends rounds at {@link #nextCheck(long)} so that
 * a check never falls inside one. The reference counts evaluations instead (E = 5000, so with its own
 * scripts T never changes).
 *
 * <p>A non-finite loss (a diverged evaluation) is ignored: the state stays as it was, so it can
 * neither become the previous loss nor block T from growing later; {@link Check#rule()} says so.
 */
public final class LossAwareGap {
    private final Settings settings;
    private int gap;
    private double previous = Double.POSITIVE_INFINITY;

    /**
     * @param tMax ceiling of T
     * @param gamma growth factor, >= 1
     * @param tau relative loss change under which the loss counts as flat
     * @param guard loss under which growth is allowed (L_guard)
     * @param checkEvery training steps between checks, >= 1
     */
    public record Settings(int tMax, double gamma, double tau, double guard, long checkEvery) {
        public Settings {
            if (tMax < 1 || !(gamma >= 1) || !(tau >= 0) || !(guard > 0) || checkEvery < 1) {
                throw new IllegalArgumentException("loss-aware T needs T_max >= 1, gamma >= 1, tau >= 0, loss_guard > 0 and"
                        + " check_every >= 1, got " + this);
            }
        }
    }

    /** Checkpointable state: T in force and the loss of the last check (+infinity before the first). */
    public record State(int gap, double previousLoss) {
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("gap", gap);
            m.put("previous_loss", Double.isFinite(previousLoss) ? previousLoss : null); // +inf before the first check
            return m;
        }

        public static State fromMap(Map<String, Object> m) {
            Object prev = m.get("previous_loss");
            return new State(((Number) m.get("gap")).intValue(),
                    prev instanceof Number n ? n.doubleValue() : Double.POSITIVE_INFINITY);
        }
    }

    /** What one check did: T now in force, and {@link Rule#LOSS_PLATEAU}, {@link Rule#NONE} or {@link Rule#IGNORED}. */
    public record Check(int gap, Rule rule) {}

    public LossAwareGap(int tStart, Settings settings) {
        if (tStart < 1 || tStart > settings.tMax()) {
            throw new IllegalArgumentException("loss-aware T needs 1 <= T start <= T_max, got " + tStart + " and " + settings.tMax());
        }
        this.settings = settings;
        this.gap = tStart;
    }

    /** Whether a check falls after {@code stepsDone} training steps. */
    public boolean checksAt(long stepsDone) {
        return stepsDone > 0 && stepsDone % settings.checkEvery() == 0;
    }

    /** The steps done at the first check after {@code stepsDone}. */
    public long nextCheck(long stepsDone) {
        return (stepsDone / settings.checkEvery() + 1) * settings.checkEvery();
    }

    /** Feeds a validation loss (averaged over workers). */
    public Check observe(double loss) {
        if (!Double.isFinite(loss)) {
            return new Check(gap, Rule.IGNORED);
        }
        double rel = Math.abs(loss - previous) / (previous + 1e-9);
        previous = loss;
        if (rel < settings.tau() && loss < settings.guard()) {
            gap = (int) Math.min(settings.tMax(), Math.rint(gap * settings.gamma()));
            return new Check(gap, Rule.LOSS_PLATEAU);
        }
        return new Check(gap, Rule.NONE);
    }

    public int gap() {
        return gap;
    }

    public State state() {
        return new State(gap, previous);
    }

    public void restore(State s) {
        gap = s.gap();
        previous = s.previousLoss();
    }
}
