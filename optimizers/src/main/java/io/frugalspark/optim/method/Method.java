package io.frugalspark.optim.method;

import io.frugalspark.optim.Frugal;
import io.frugalspark.optim.Partition;
import io.frugalspark.optim.Seeds;
import io.frugalspark.optim.method.SelectorChoice.Blocks;
import io.frugalspark.optim.rule.Adam;
import io.frugalspark.optim.rule.StatefulRule;
import io.frugalspark.optim.select.BlockSelector.Order;
import io.frugalspark.optim.select.Density;
import io.frugalspark.optim.select.Footprint;
import io.frugalspark.optim.state.OptimizerState;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * A method of the FRUGAL family as a descriptor: its building blocks (which tensors form the
 * projectable group, the selector, the state-full and state-free rules, rho, T, the group lr scales)
 * and what a driver must know about it without downcasting an optimizer: whether re-selection reads
 * gradients, whether the AdaFRUGAL schedules run, when the next re-selection falls, and the state size
 * from shapes. Immutable; {@link #toBuilder()} derives variants.
 *
 * @param adaFrugal AdaFRUGAL's driver-side controls (rho, T and the active set change during the run),
 *     or null for a fixed rho and T
 */
public record Method(String name, Partition partition, SelectorChoice selector, StatefulRule statefull, StateFree stateFree,
        double rho, int updateGap, double projLrScale, double inactiveLrScale, boolean resetStatistics, Adaptive adaFrugal) {

    /**
     * AdaFRUGAL's driver-side controls, the {@code optimizer.adafrugal} config section typed: which rule
     * drives rho, T and the active set, and each rule's knobs. rho starts at the method's rho and T at
     * its update gap.
     *
     * @param decaySteps length of the linear rho decay; 0 = the run's length
     * @param tMin fewest steps between drift-aware re-selections
     * @param tMax ceiling of loss-aware T and most steps between drift-aware re-selections
     * @param checkEvery training steps between loss-aware T checks
     * @param importanceBeta moving-average weight of importance selection
     * @param exploration importance selection's exploration probability per slot (epsilon)
     * @param driftFraction of the reference state-full share under which drift-aware T re-selects
     * @param energyShare of the gradient energy that energy-targeted rho's active blocks hold
     * @param rhoHold fewest steps between changes of energy-targeted rho
     */
    public record Adaptive(RhoRule rhoRule, double rhoEnd, long decaySteps, GapRule gapRule, int tMin, int tMax, double gamma,
            double tau, double lossGuard, long checkEvery, SelectionRule selectionRule, double importanceBeta, double exploration,
            double driftFraction, double energyShare, long rhoHold) {

        /** What drives rho: the paper's linear decay, or energy-targeted rho. */
        public enum RhoRule { LINEAR, ENERGY }

        /** What drives T: the paper's loss-aware T, or drift-aware T. */
        public enum GapRule { LOSS, DRIFT }

        /** Which blocks a re-selection activates: the method's block order, or importance selection. */
        public enum SelectionRule { ORDER, IMPORTANCE }

        /**
         * The published AdaFRUGAL (ALGORITHMS.md section 8): linear rho to 0.05 over the run, loss-aware
         * T up to 1000 (gamma 1.5, tau 0.005, loss guard 20, a check every 500 steps), the method's block
         * order; the statistics rules' knobs at this project's defaults.
         */
        public static Adaptive published() {
            return new Adaptive(RhoRule.LINEAR, 0.05, 0, GapRule.LOSS, 50, 1000, 1.5, 0.005, 20, 500, SelectionRule.ORDER,
                    0.9, 0.0, 0.8, 0.9, 200);
        }

        /**
         * AdaFRUGAL steered by the driver's statistics controllers: energy-targeted rho, drift-aware T and
         * importance selection, every knob at this project's defaults (the published ones where they exist).
         */
        public static Adaptive statistics() {
            return published().withRules(RhoRule.ENERGY, GapRule.DRIFT, SelectionRule.IMPORTANCE);
        }

        /** These knobs under other rules. */
        public Adaptive withRules(RhoRule rho, GapRule gap, SelectionRule selection) {
            return new Adaptive(rho, rhoEnd, decaySteps, gap, tMin, tMax, gamma, tau, lossGuard, checkEvery, selection, importanceBeta,
                    exploration, driftFraction, energyShare, rhoHold);
        }

        /** Whether a rule reads the per-tensor statistics (the driver must then feed them every round). */
        public boolean readsStatistics() {
            return rhoRule == RhoRule.ENERGY || gapRule == GapRule.DRIFT || selectionRule == SelectionRule.IMPORTANCE;
        }
    }

    public Method {
        new Density(rho, false); // rejects rho outside [0, 1] with a message
        if (updateGap < 1) {
            throw new IllegalArgumentException("update gap T must be >= 1, got " + updateGap);
        }
        if (adaFrugal != null && adaFrugal.rhoEnd() > rho) {
            throw new IllegalArgumentException("AdaFRUGAL's rho_end " + adaFrugal.rhoEnd() + " lies above its starting density " + rho);
        }
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** A fresh optimizer composed as this method says, with decoupled weight decay and the selection seed. */
    public Frugal create(double weightDecay, long seed) {
        return Frugal.builder().statefull(statefull).statefree(stateFree.create()).selector(selector::create)
                .partition(partition).weightDecay(weightDecay).projLrScale(projLrScale).inactiveLrScale(inactiveLrScale)
                .resetStatistics(resetStatistics).seed(seed).density(rho).updateGap(updateGap).build();
    }

    /** Whether some tensors form a projectable group (AdamW's method has none: every tensor is regular). */
    public boolean hasProjectableGroup() {
        return partition != Partition.NONE;
    }

    /** Whether a re-selection reads the gradient (svd): the driver builds it from averaged gradients at a round's start. */
    public boolean selectionNeedsGradients() {
        return hasProjectableGroup() && selector.needsGradients();
    }

    /** Whether the driver runs AdaFRUGAL's schedules for this method. */
    public boolean adaptive() {
        return adaFrugal != null;
    }

    /**
     * Steps from now to the next re-selection under update gap {@code gap}, given the state before the
     * step: 0 when the coming step re-selects. T is counted on the projectable group's first tensor.
     */
    public long stepsUntilReselection(OptimizerState state, int gap) {
        OptionalLong counter = state.groupStep();
        if (!hasProjectableGroup() || counter.isEmpty()) {
            return hasProjectableGroup() ? 0 : Long.MAX_VALUE;
        }
        long into = counter.getAsLong() % gap;
        return into == 0 ? 0 : gap - into;
    }

    /**
     * Bytes of optimizer state after the first step over {@code tensors} (in the optimizer's order) of
     * {@code width}-byte values: moments of regular tensors and of the first selection's state-full
     * part, plus its bases and indices. Equals the optimizer's {@code stateBytes()} then.
     */
    public long stateBytes(List<TensorShape> tensors, int width, long seed) {
        int moments = statefull.moments();
        long sum = 0;
        List<long[]> group = new ArrayList<>();
        for (TensorShape t : tensors) {
            if (partition.contains(t.role())) {
                group.add(t.shape());
            } else {
                sum += Footprint.whole(t.shape()).bytes(moments, width);
            }
        }
        if (!group.isEmpty()) {
            for (Footprint f : selector.create().footprint(group, new Density(rho, false), Seeds.stream(seed, 0))) {
                sum += f.bytes(moments, width);
            }
        }
        return sum;
    }

    /** Composition of a method; defaults are the paper's pre-training FRUGAL (block AdamW, descending, signSGD). */
    public static final class Builder {
        private final String name;
        private Partition partition = Partition.PROJECTABLE;
        private SelectorChoice selector = new Blocks(Order.DESCENDING);
        private StatefulRule statefull = Adam.defaults();
        private StateFree stateFree = StateFree.SIGN_SGD;
        private double rho = 0.25;
        private int updateGap = 200;
        private double projLrScale = 1.0;
        private double inactiveLrScale = 1.0;
        private boolean resetStatistics = true;
        private Adaptive adaptive;

        private Builder(String name) {
            this.name = name;
        }

        private Builder(Method m) {
            this(m.name);
            partition = m.partition;
            selector = m.selector;
            statefull = m.statefull;
            stateFree = m.stateFree;
            rho = m.rho;
            updateGap = m.updateGap;
            projLrScale = m.projLrScale;
            inactiveLrScale = m.inactiveLrScale;
            resetStatistics = m.resetStatistics;
            adaptive = m.adaFrugal;
        }

        public Builder partition(Partition p) { partition = p; return this; }
        public Builder selector(SelectorChoice s) { selector = s; return this; }
        public Builder statefull(StatefulRule r) { statefull = r; return this; }
        public Builder stateFree(StateFree r) { stateFree = r; return this; }
        public Builder rho(double r) { rho = r; return this; }
        public Builder updateGap(int t) { updateGap = t; return this; }
        public Builder projLrScale(double s) { projLrScale = s; return this; }
        public Builder inactiveLrScale(double s) { inactiveLrScale = s; return this; }
        public Builder resetStatistics(boolean r) { resetStatistics = r; return this; }
        public Builder adaptive(Adaptive a) { adaptive = a; return this; }

        public Method build() {
            return new Method(name, partition, selector, statefull, stateFree, rho, updateGap, projLrScale, inactiveLrScale,
                    resetStatistics, adaptive);
        }
    }
}
