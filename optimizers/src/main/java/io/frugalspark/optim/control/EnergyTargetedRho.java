package io.frugalspark.optim.control;

import io.frugalspark.optim.TensorStats;
import io.frugalspark.optim.select.Density;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Energy-targeted rho for block FRUGAL: the smallest density whose best k blocks (largest gradient
 * energy in the round) hold {@code share} of the group's gradient energy, clamped to
 * [rho_end, rho_start], so that optimizer memory shrinks as the gradient concentrates. Each change of
 * rho changes the block count and so re-selects and resets Adam's moments: a new density takes
 * effect only once {@code hold} steps have passed since the last change. Densities are
 * {@link Density#ofBlocks}, so the optimizer's floor gives exactly k blocks.
 */
public final class EnergyTargetedRho {
    private final Settings settings;
    private double rho;
    private long sinceChange;

    /**
     * @param start the density at the start and the ceiling (optimizer.rho)
     * @param end the floor, <= start
     * @param share of the gradient energy the active blocks should hold, in (0, 1]
     * @param hold fewest steps between two changes of rho, >= 0
     */
    public record Settings(double start, double end, double share, long hold) {
        public Settings {
            if (!(end >= 0 && end <= start && start <= 1)) {
                throw new IllegalArgumentException("energy-targeted rho needs 0 <= rho_end <= rho_start <= 1, got "
                        + end + " and " + start);
            }
            if (!(share > 0 && share <= 1)) {
                throw new IllegalArgumentException("energy share must lie in (0, 1], got " + share);
            }
            if (hold < 0) {
                throw new IllegalArgumentException("rho hold must be >= 0 steps, got " + hold);
            }
        }
    }

    /** Checkpointable state: the density in force and the steps since it was set. */
    public record State(double rho, long sinceChange) {
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rho", rho);
            m.put("since_change", sinceChange);
            return m;
        }

        public static State fromMap(Map<String, Object> m) {
            return new State(((Number) m.get("rho")).doubleValue(), ((Number) m.get("since_change")).longValue());
        }
    }

    /**
     * @param rho the density from the next round on
     * @param blocks the active block count it gives
     * @param captured the share of the round's gradient energy those best blocks hold
     */
    public record Decision(double rho, int blocks, double captured, Rule rule) {}

    public EnergyTargetedRho(Settings settings) {
        this.settings = settings;
        this.rho = settings.start();
    }

    /** The density in force. */
    public double rho() {
        return rho;
    }

    /** Reads a round; non-finite statistics leave the state unchanged ({@link Rule#IGNORED}). */
    public Decision observe(RoundStats round) {
        TensorStats stats = round.stats();
        int n = stats.size();
        if (!stats.finite()) {
            return new Decision(rho, blocks(n), Double.NaN, Rule.IGNORED);
        }
        sinceChange += round.steps();
        double[] cumulative = bestBlocksEnergy(stats);
        double target = clamp(Density.ofBlocks(smallestHolding(cumulative), n));
        Rule rule = Rule.NONE;
        if (target != rho) {
            rule = sinceChange >= settings.hold() ? Rule.ENERGY_RHO : Rule.RHO_HELD;
        }
        if (rule == Rule.ENERGY_RHO) {
            rho = target;
            sinceChange = 0;
        }
        double total = cumulative[n];
        return new Decision(rho, blocks(n), total == 0 ? 0 : cumulative[blocks(n)] / total, rule);
    }

    /** cumulative[k]: energy of the best k blocks, summed in rank order (cumulative[n] is the total). */
    private static double[] bestBlocksEnergy(TensorStats stats) {
        int n = stats.size();
        double[] energy = new double[n];
        for (int i = 0; i < n; i++) {
            energy[i] = stats.gradSq(i);
        }
        int[] ranked = Ranking.descending(energy);
        double[] cumulative = new double[n + 1];
        for (int k = 0; k < n; k++) {
            cumulative[k + 1] = cumulative[k] + energy[ranked[k]];
        }
        return cumulative;
    }

    private int smallestHolding(double[] cumulative) {
        int n = cumulative.length - 1;
        int k = 0;
        while (k < n && cumulative[k] < settings.share() * cumulative[n]) {
            k++;
        }
        return k;
    }

    private double clamp(double target) {
        return Math.max(settings.end(), Math.min(settings.start(), target));
    }

    private int blocks(int n) {
        return new Density(rho, true).blocks(n);
    }

    public State state() {
        return new State(rho, sinceChange);
    }

    public void restore(State s) {
        rho = s.rho();
        sinceChange = s.sinceChange();
    }
}
