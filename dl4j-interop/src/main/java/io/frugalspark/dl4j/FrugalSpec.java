package io.frugalspark.dl4j;

import io.frugalspark.optim.Frugal;
import io.frugalspark.optim.Partition;
import io.frugalspark.optim.method.SelectorChoice;
import io.frugalspark.optim.method.SelectorChoice.Blocks;
import io.frugalspark.optim.method.SelectorChoice.Projections;
import io.frugalspark.optim.method.StateFree;
import io.frugalspark.optim.rule.Adam;
import io.frugalspark.optim.schedule.LinearRhoDecay;
import io.frugalspark.optim.select.Density;
import io.frugalspark.optim.select.ProjectionSelector;
import io.frugalspark.optim.select.Selector;
import java.io.Serializable;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;
import org.nd4j.shade.jackson.annotation.JsonAutoDetect;
import org.nd4j.shade.jackson.annotation.JsonAutoDetect.Visibility;

/**
 * The method settings shared by every tensor of a network (ALGORITHMS.md sections 1-9), as a plain
 * bean so that DL4J's JSON configuration carries it. The optimizers module does the math: this only
 * names its parts. Weight decay is not here: DL4J's {@code weightDecay(wd, true)} regularization adds
 * lr*wd*p to the update, which is the reference's p *= 1 - lr*wd before the step.
 */
@JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE, isGetterVisibility = Visibility.NONE,
        setterVisibility = Visibility.NONE)
public final class FrugalSpec implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * State-full subspace of projectable tensors: block-{descending,ascending,random,mirror}, columns,
     * rows, randk, svd, random, randperm; or none (no projectable group: AdamW everywhere).
     */
    private String selector = "block-descending";
    /** Projection side for svd/random/randperm: std, reverse_std, left, right, full. */
    private String side = "std";
    /** State-free rule on the complement (StateFree's names): sign_sgd, sgd, sinkgd, swan, no. */
    private String stateFree = "sign_sgd";
    private double rho = 0.25;
    private int updateGap = 200;
    private double projLrScale = 1.0;
    private double inactiveLrScale = 1.0;
    private long seed;
    private double beta1 = 0.9;
    private double beta2 = 0.999;
    private double eps = 1e-8;
    /** AdaFRUGAL: rho decays linearly to rhoEnd over rhoSteps steps; 0 steps = constant rho. */
    private double rhoEnd;
    private long rhoSteps;

    public FrugalSpec() {
    }

    /** The paper's pre-training FRUGAL: block AdamW, descending order, signSGD elsewhere. */
    public static FrugalSpec frugal() {
        return new FrugalSpec();
    }

    /** Plain AdamW: every tensor regular. */
    public static FrugalSpec adamw() {
        return new FrugalSpec().selector("none");
    }

    /** FRUGAL with random input-feature columns of each [out, in] matrix state-full. */
    public static FrugalSpec columns() {
        return new FrugalSpec().selector("columns");
    }

    /** FRUGAL with GaLore-style projections: type svd, random or randperm. */
    public static FrugalSpec projection(String type) {
        return new FrugalSpec().selector(type);
    }

    /** SinkGD: projectable matrices get SR-Sinkhorn steps at 0.05 x lr, the rest AdamW. */
    public static FrugalSpec sinkgd() {
        return new FrugalSpec().rho(0).stateFree(StateFree.SINKGD.key()).inactiveLrScale(0.05);
    }

    /** AdaFRUGAL's density schedule: rho from its start value down to {@code end} over {@code steps}. */
    public FrugalSpec adaptive(double end, long steps) {
        rhoEnd = end;
        rhoSteps = steps;
        return this;
    }

    public FrugalSpec selector(String s) { selector = s.toLowerCase(Locale.ROOT); return this; }
    public FrugalSpec side(String s) { side = s.toLowerCase(Locale.ROOT); return this; }
    public FrugalSpec stateFree(String s) { stateFree = s.toLowerCase(Locale.ROOT); return this; }
    public FrugalSpec rho(double r) { rho = r; return this; }
    public FrugalSpec updateGap(int t) { updateGap = t; return this; }
    public FrugalSpec projLrScale(double s) { projLrScale = s; return this; }
    public FrugalSpec inactiveLrScale(double s) { inactiveLrScale = s; return this; }
    public FrugalSpec seed(long s) { seed = s; return this; }
    public FrugalSpec adam(double b1, double b2, double e) { beta1 = b1; beta2 = b2; eps = e; return this; }

    public String selector() { return selector; }
    public double rho() { return rho; }
    public int updateGap() { return updateGap; }
    public long seed() { return seed; }

    /** Whether attention/MLP tensors form a projectable group (false for AdamW). */
    public boolean projects() {
        return !selector.equals("none");
    }

    public boolean blocks() {
        return choice() instanceof Blocks;
    }

    public boolean svd() {
        return choice().needsGradients();
    }

    /** The selector in the optimizers module's vocabulary (SelectorChoice's names). */
    SelectorChoice choice() {
        return SelectorChoice.of(selector, side);
    }

    public boolean adaptive() {
        return rhoSteps > 0;
    }

    /** The density in force for optimizer call t (0-based): AdaFRUGAL's rho(t + 1), floor-rounded blocks. */
    public Density density(long t) {
        return adaptive() ? new Density(new LinearRhoDecay(rho, rhoEnd, rhoSteps).rho(t + 1), true) : new Density(rho, false);
    }

    /** A FRUGAL optimizer with these settings over a group the caller hands it; decay is left to DL4J. */
    public Frugal.Builder optimizer(Partition partition) {
        Frugal.Builder b = Frugal.builder().statefull(new Adam(beta1, beta2, eps)).statefree(StateFree.of(stateFree).create())
                .partition(partition).projLrScale(projLrScale).inactiveLrScale(inactiveLrScale)
                .density(rho).updateGap(updateGap).seed(seed);
        return projects() ? b.selector(selectorFactory()) : b;
    }

    Supplier<Selector> selectorFactory() {
        SelectorChoice c = choice();
        return c::create;
    }

    ProjectionSelector projectionSelector() {
        return (ProjectionSelector) choice().create();
    }

    ProjectionSelector projectionSelector(ProjectionSelector.Type type) {
        return (ProjectionSelector) new Projections(type, ((Projections) choice()).side()).create();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FrugalSpec s && selector.equals(s.selector) && side.equals(s.side) && stateFree.equals(s.stateFree)
                && rho == s.rho && updateGap == s.updateGap && projLrScale == s.projLrScale && inactiveLrScale == s.inactiveLrScale
                && seed == s.seed && beta1 == s.beta1 && beta2 == s.beta2 && eps == s.eps && rhoEnd == s.rhoEnd && rhoSteps == s.rhoSteps;
    }

    @Override
    public int hashCode() {
        return Objects.hash(selector, side, stateFree, rho, updateGap, projLrScale, inactiveLrScale, seed, beta1, beta2, eps, rhoEnd, rhoSteps);
    }
}
