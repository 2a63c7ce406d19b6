package io.frugalspark.optim.control;

import io.frugalspark.optim.Seeds;
import io.frugalspark.optim.TensorStats;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Importance selection for block FRUGAL: at each re-selection activate the k blocks whose gradient
 * energy per element has the largest exponential moving average, instead of walking a fixed order.
 * Energy per element, not per block, so that a large MLP matrix does not win by size alone. Ties go
 * to the lower block index. With exploration epsilon, each of the k slots (in rank order) is, with
 * probability epsilon, handed to a block drawn uniformly from those not active at that moment (in
 * ascending index order; the displaced block rejoins them), so blocks whose average went stale get
 * measured again in the state-full part. The draws come from
 * {@code Seeds.stream(seed, choices made)}: two drivers with the same seed and history agree.
 */
public final class ImportanceSelection {
    private final Settings settings;
    private double[] ema;
    private long choices;

    /**
     * @param beta weight of the old average per round, in [0, 1): ema = beta * ema + (1 - beta) * x;
     *     the first round sets ema = x
     * @param epsilon exploration probability per slot, in [0, 1]
     * @param seed seeds the exploration draws
     */
    public record Settings(double beta, double epsilon, long seed) {
        public Settings {
            if (!(beta >= 0 && beta < 1)) {
                throw new IllegalArgumentException("importance beta must lie in [0, 1), got " + beta);
            }
            if (!(epsilon >= 0 && epsilon <= 1)) {
                throw new IllegalArgumentException("exploration epsilon must lie in [0, 1], got " + epsilon);
            }
        }
    }

    /** Checkpointable state: the moving averages (null before the first round) and the choices made. */
    public record State(double[] ema, long choices) {
        public State {
            ema = ema == null ? null : ema.clone();
        }

        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ema", ema == null ? null : Arrays.stream(ema).boxed().toList());
            m.put("choices", choices);
            return m;
        }

        public static State fromMap(Map<String, Object> m) {
            Object e = m.get("ema");
            double[] ema = e == null ? null : ((List<?>) e).stream().mapToDouble(x -> ((Number) x).doubleValue()).toArray();
            return new State(ema, ((Number) m.get("choices")).longValue());
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof State s && Arrays.equals(ema, s.ema) && choices == s.choices;
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(ema) + Long.hashCode(choices);
        }
    }

    /**
     * An active set: block indices in rank order (explored ones in the slot they took) and the rule:
     * {@link Rule#IMPORTANCE}, or {@link Rule#EXPLORATION} when a slot was explored.
     */
    public record Choice(int[] active, Rule rule) {
        public Choice {
            active = active.clone();
        }

        /** The active set as flags over a group of n blocks. */
        public boolean[] flags(int n) {
            boolean[] out = new boolean[n];
            for (int i : active) {
                out[i] = true;
            }
            return out;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Choice c && Arrays.equals(active, c.active) && rule == c.rule;
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(active) + rule.hashCode();
        }
    }

    public ImportanceSelection(Settings settings) {
        this.settings = settings;
    }

    /** Folds a round's energies per element into the averages; {@link Rule#IGNORED} (state unchanged) when not finite. */
    public Rule observe(TensorStats round) {
        if (!round.finite()) {
            return Rule.IGNORED;
        }
        double b = settings.beta();
        if (ema == null) {
            ema = new double[round.size()];
            b = 0;
        }
        for (int i = 0; i < ema.length; i++) {
            ema[i] = b * ema[i] + (1 - b) * round.energyPerElement(i);
        }
        return Rule.NONE;
    }

    /** The k of n blocks to activate at this re-selection (before any round: the first k). */
    public Choice choose(int k, int n) {
        int[] ranked = Ranking.descending(ema == null ? new double[n] : ema);
        int[] active = Arrays.copyOf(ranked, k);
        SplittableRandom rng = Seeds.stream(settings.seed(), choices++);
        boolean explored = settings.epsilon() > 0 && explore(active, Arrays.copyOfRange(ranked, k, n), rng);
        return new Choice(active, explored ? Rule.EXPLORATION : Rule.IMPORTANCE);
    }

    /** Hands each slot of {@code active}, with probability epsilon, to a uniformly drawn inactive block; true if any. */
    private boolean explore(int[] active, int[] inactive, SplittableRandom rng) {
        List<Integer> rest = new ArrayList<>(Arrays.stream(inactive).boxed().sorted().toList());
        boolean explored = false;
        for (int slot = 0; slot < active.length; slot++) {
            if (rng.nextDouble() < settings.epsilon() && !rest.isEmpty()) {
                int displaced = active[slot];
                active[slot] = rest.remove((int) (rng.nextDouble() * rest.size()));
                rest.add(displaced);
                rest.sort(null);
                explored = true;
            }
        }
        return explored;
    }

    public State state() {
        return new State(ema, choices);
    }

    public void restore(State s) {
        ema = s.ema() == null ? null : s.ema().clone();
        choices = s.choices();
    }
}
