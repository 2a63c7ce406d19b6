package io.frugalspark.optim.control;

import io.frugalspark.optim.method.Method.Adaptive;
import io.frugalspark.optim.method.Method.Adaptive.GapRule;
import io.frugalspark.optim.method.Method.Adaptive.RhoRule;
import io.frugalspark.optim.method.Method.Adaptive.SelectionRule;
import io.frugalspark.optim.schedule.LinearRhoDecay;
import io.frugalspark.optim.schedule.LossAwareGap;
import io.frugalspark.optim.select.Density;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * AdaFRUGAL's driver-side controllers as configured: one rule for rho (linear decay or energy-targeted),
 * one for T (loss-aware or drift-aware) and one for the active set (the method's block order or
 * importance selection), with their checkpointable state. The published AdaFRUGAL is linear rho,
 * loss-aware T and the block order; the others read the per-tensor statistics the driver feeds after
 * every round ({@link #afterRound}). No Spark: the driver owns one instance.
 */
public final class AdaFrugalControllers {
    private static final String ENERGY = "energy_rho";
    private static final String DRIFT = "drift";
    private static final String IMPORTANCE = "importance";
    private final LinearRhoDecay linear;
    private final EnergyTargetedRho energy;
    private final LossAwareGap loss;
    private final DriftAwareGap drift;
    private final ImportanceSelection importance;
    private final int tMax;

    /**
     * @param rhoStart the method's starting density (optimizer.rho)
     * @param tStart the method's starting T (optimizer.T)
     * @param runSteps the run's length: the linear decay's when {@code decaySteps} is 0
     * @param seed seeds importance selection's exploration
     */
    public AdaFrugalControllers(Adaptive a, double rhoStart, int tStart, long runSteps, long seed) {
        linear = a.rhoRule() == RhoRule.LINEAR ? new LinearRhoDecay(rhoStart, a.rhoEnd(), a.decaySteps() > 0 ? a.decaySteps() : runSteps)
                : null;
        energy = a.rhoRule() == RhoRule.ENERGY ? new EnergyTargetedRho(
                new EnergyTargetedRho.Settings(rhoStart, a.rhoEnd(), a.energyShare(), a.rhoHold())) : null;
        loss = a.gapRule() == GapRule.LOSS ? new LossAwareGap(tStart,
                new LossAwareGap.Settings(a.tMax(), a.gamma(), a.tau(), a.lossGuard(), a.checkEvery())) : null;
        drift = a.gapRule() == GapRule.DRIFT ? new DriftAwareGap(new DriftAwareGap.Settings(a.tMin(), a.tMax(), a.driftFraction()))
                : null;
        importance = a.selectionRule() == SelectionRule.IMPORTANCE
                ? new ImportanceSelection(new ImportanceSelection.Settings(a.importanceBeta(), a.exploration(), seed)) : null;
        tMax = a.tMax();
    }

    /** Density at step {@code step} (0-based; the linear decay counts s = 1 on the first step). */
    public double rho(long step) {
        return linear != null ? linear.rho(step + 1) : energy.rho();
    }

    /** T in force: loss-aware T, or T_max under drift-aware T (the bound the optimizer keeps within rounds). */
    public int updateGap() {
        return loss != null ? loss.gap() : tMax;
    }

    /** Whether a loss-aware T check falls after {@code stepsDone} steps (never under drift-aware T). */
    public boolean lossCheckDue(long stepsDone) {
        return loss != null && loss.checksAt(stepsDone);
    }

    /** Steps done at the next loss-aware T check after {@code stepsDone}; Long.MAX_VALUE under drift-aware T. */
    public long nextLossCheck(long stepsDone) {
        return loss != null ? loss.nextCheck(stepsDone) : Long.MAX_VALUE;
    }

    /** Feeds a validation loss to loss-aware T; non-finite ones are ignored and say so. */
    public LossAwareGap.Check observeValidationLoss(double l) {
        return loss != null ? loss.observe(l) : new LossAwareGap.Check(updateGap(), Rule.NONE);
    }

    /**
     * Steps from {@code step} until the linear decay next changes the count of n blocks (0 when it
     * changes at {@code step} itself), looking at most {@code limit} steps ahead ({@code limit} when it
     * does not change by then). A round ends there so that a re-selection never falls inside one.
     */
    public long stepsUntilBlockCountChange(long step, int n, long limit) {
        if (linear == null) {
            return limit;
        }
        for (long i = 0; i < limit; i++) {
            if (step + i > 0 && blocks(rho(step + i), n) != blocks(rho(step + i - 1), n)) {
                return i;
            }
        }
        return limit;
    }

    /**
     * Reads a finished round's statistics and decides the next round: its density, T, whether its
     * first step re-selects and, under importance selection, the active set for it. Call it after
     * {@link #observeValidationLoss} when a check falls at the same step: the periodic re-selection
     * follows the T the next round runs with. Non-finite statistics leave every controller as it was
     * ({@link Rule#IGNORED}); the schedules (linear rho, periodic T) still speak.
     */
    public RoundDecision afterRound(RoundStats round) {
        int n = round.stats().size();
        boolean finite = round.stats().finite();
        List<Rule> fired = new ArrayList<>();
        double before = rho(round.end() - 1);
        double captured = Double.NaN;
        if (energy != null) {
            EnergyTargetedRho.Decision e = energy.observe(round);
            captured = e.captured();
            speak(e.rule(), fired);
        }
        if (importance != null) {
            speak(importance.observe(round.stats()), fired);
        }
        double next = rho(round.end());
        boolean reselect = blocks(next, n) != blocks(before, n);
        if (reselect) {
            fired.add(Rule.BLOCK_COUNT);
        }
        reselect |= gapReselects(round, fired);
        int[] active = null;
        if (reselect && importance != null && finite) {
            ImportanceSelection.Choice c = importance.choose(blocks(next, n), n);
            active = c.active();
            fired.add(c.rule());
        }
        return new RoundDecision(next, updateGap(), reselect, active, finite ? round.stats().statefullShare() : Double.NaN,
                captured, fired);
    }

    /** Drift-aware T's decision, or the periodic re-selection of loss-aware T (T steps since the last one). */
    private boolean gapReselects(RoundStats round, List<Rule> fired) {
        if (drift != null) {
            DriftAwareGap.Decision d = drift.observe(round);
            speak(d.rule(), fired);
            return d.reselect();
        }
        boolean periodic = round.sinceReselection() % loss.gap() == 0;
        if (periodic) {
            fired.add(Rule.PERIODIC);
        }
        return periodic;
    }

    /** Adds a rule that decided something; IGNORED once however many controllers ignored the round. */
    private static void speak(Rule rule, List<Rule> fired) {
        if (rule != Rule.NONE && !(rule == Rule.IGNORED && fired.contains(Rule.IGNORED))) {
            fired.add(rule);
        }
    }

    private static int blocks(double rho, int n) {
        return new Density(rho, true).blocks(n);
    }

    /** Checkpointable state of every controller in use (loss-aware T's at the top level, as checkpoints have it). */
    public Map<String, Object> state() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (loss != null) {
            m.putAll(loss.state().toMap());
        }
        if (energy != null) {
            m.put(ENERGY, energy.state().toMap());
        }
        if (drift != null) {
            m.put(DRIFT, drift.state().toMap());
        }
        if (importance != null) {
            m.put(IMPORTANCE, importance.state().toMap());
        }
        return m;
    }

    /** Restores {@link #state()}; a controller missing from {@code m} (an older checkpoint) keeps its fresh state. */
    @SuppressWarnings("unchecked")
    public void restore(Map<String, Object> m) {
        if (loss != null && m.containsKey("gap")) {
            loss.restore(LossAwareGap.State.fromMap(m));
        }
        if (energy != null && m.get(ENERGY) instanceof Map<?, ?> e) {
            energy.restore(EnergyTargetedRho.State.fromMap((Map<String, Object>) e));
        }
        if (drift != null && m.get(DRIFT) instanceof Map<?, ?> d) {
            drift.restore(DriftAwareGap.State.fromMap((Map<String, Object>) d));
        }
        if (importance != null && m.get(IMPORTANCE) instanceof Map<?, ?> i) {
            importance.restore(ImportanceSelection.State.fromMap((Map<String, Object>) i));
        }
    }
}
