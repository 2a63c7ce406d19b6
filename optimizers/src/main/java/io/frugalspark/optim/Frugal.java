package io.frugalspark.optim;

import io.frugalspark.optim.StepStats.Part;
import io.frugalspark.optim.rule.Adam;
import io.frugalspark.optim.rule.Blas;
import io.frugalspark.optim.rule.SignSgd;
import io.frugalspark.optim.rule.StatefulRule;
import io.frugalspark.optim.rule.StatelessRule;
import io.frugalspark.optim.select.BlockSelector;
import io.frugalspark.optim.select.Density;
import io.frugalspark.optim.select.Selector;
import io.frugalspark.optim.state.OptimizerState;
import io.frugalspark.optim.state.OptimizerState.Counters;
import io.frugalspark.optim.state.Selection;
import io.frugalspark.optim.state.SubspaceRecord;
import io.frugalspark.optim.state.TensorRecord;
import io.frugalspark.optim.state.HostArray;
import io.frugalspark.optim.subspace.Block;
import io.frugalspark.optim.subspace.Projector;
import io.frugalspark.optim.subspace.Subspace;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * FRUGAL (ALGORITHMS.md sections 1-6): regular tensors get the state-full rule; the projectable group
 * gets it inside a subspace chosen by the selector every T steps (counted on the group's first
 * tensor) and the state-free rule on the complement. Decay p *= 1 - lr*wd comes first, on every tensor.
 */
public final class Frugal implements Optimizer {
    private final StatefulRule statefull;
    private final StatelessRule statefree;
    private final Selector selector;
    private final Partition partition;
    private final double weightDecay;
    private final double projLrScale;
    private final double inactiveLrScale;
    private final boolean resetStatistics;
    private final long seed;
    private double rho;
    private boolean rhoUpdated;
    private int updateGap;
    private long calls;
    private long reselections;

    private final Map<String, TensorState> states = new LinkedHashMap<>();
    /** The projectable group's names in order (immutable: each step's statistics share it). */
    private List<String> group = List.of();
    private Map<String, Subspace> pending;
    private boolean forced;
    private final Scratch scratch = new Scratch();

    private Frugal(Builder b) {
        statefull = b.statefull;
        statefree = b.statefree;
        selector = b.selector.get();
        partition = b.partition;
        weightDecay = b.weightDecay;
        projLrScale = b.projLrScale;
        inactiveLrScale = b.inactiveLrScale;
        resetStatistics = b.resetStatistics;
        seed = b.seed;
        rho = new Density(b.rho, false).rho();
        updateGap = b.updateGap;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public StepStats step(List<ParamRef> params, double lr) {
        return step(params, lr, lr);
    }

    /** One step with separate group learning rates (regular, projectable). */
    public StepStats step(List<ParamRef> params, double lrRegular, double lrProjectable) {
        List<ParamRef> proj = projectableGroup(params);
        if (!proj.isEmpty() && reselectsNext()) {
            reselect(proj);
        }
        forced = false;
        StepStats stats = new StepStats(group);
        int member = 0;
        for (ParamRef p : params) {
            boolean inGroup = partition.contains(p);
            update(p, inGroup ? lrProjectable : lrRegular, inGroup ? member++ : -1, stats);
        }
        calls++;
        return stats;
    }

    /**
     * Whether the next step re-selects: first step, every T-th call of the first tensor, a stale block
     * count, or a re-selection the driver forced ({@link #reselectNext()}).
     */
    public boolean reselectsNext() {
        if (group.isEmpty()) {
            return calls == 0 && partition != Partition.NONE;
        }
        TensorState first = states.get(group.get(0));
        return forced || first == null || first.step % updateGap == 0 || selector.outdated(subspaces(), density());
    }

    /** Forces a re-selection at the next step (the driver's drift-aware T), with the injected selection if one is pending. */
    @Override
    public void reselectNext() {
        forced = true;
    }

    /**
     * Draws the next selection from {@code params}' gradients (the driver's averaged ones for svd),
     * and makes it this optimizer's next selection; ship it to replicas with {@link #inject}.
     */
    @Override
    public Selection computeSelection(List<ParamRef> params) {
        List<ParamRef> proj = projectableGroup(params);
        List<Subspace> subs = selector.select(proj, density(), Seeds.stream(seed, reselections));
        Map<String, Subspace> next = new LinkedHashMap<>();
        Map<String, SubspaceRecord> out = new LinkedHashMap<>();
        for (int i = 0; i < proj.size(); i++) {
            next.put(proj.get(i).name(), subs.get(i));
            out.put(proj.get(i).name(), subs.get(i).record());
        }
        pending = next;
        return new Selection(out);
    }

    @Override
    public void inject(Selection selection) {
        Map<String, Subspace> next = new LinkedHashMap<>();
        selection.subspaces().forEach((name, r) -> next.put(name, Subspace.of(r)));
        pending = next;
    }

    /** The subspace in force for a tensor, or null before its first step. */
    public Subspace subspace(String name) {
        TensorState st = states.get(name);
        return st == null ? null : st.subspace;
    }

    public TensorState tensorState(String name) {
        return states.get(name);
    }

    /** AdaFRUGAL's rho controller: block counts follow at once (floor), other selectors at their next refresh. */
    @Override
    public void setDensity(double rho) {
        this.rho = new Density(rho, true).rho();
        rhoUpdated = true;
    }

    @Override
    public void setUpdateGap(int t) {
        if (t < 1) {
            throw new IllegalArgumentException("update gap T must be >= 1, got " + t);
        }
        updateGap = t;
    }

    public Density density() {
        return new Density(rho, rhoUpdated);
    }

    public int updateGap() {
        return updateGap;
    }

    /** Whether some tensors form a projectable group (AdamW's preset has none: every tensor is regular). */
    public boolean hasProjectableGroup() {
        return partition != Partition.NONE;
    }

    private List<ParamRef> projectableGroup(List<ParamRef> params) {
        List<ParamRef> proj = new ArrayList<>();
        for (ParamRef p : params) {
            if (partition.contains(p)) {
                proj.add(p);
            }
        }
        return proj;
    }

    private List<Subspace> subspaces() {
        List<Subspace> out = new ArrayList<>(group.size());
        for (String name : group) {
            TensorState st = states.get(name);
            out.add(st == null ? Block.INACTIVE : st.subspace);
        }
        return out;
    }

    private void reselect(List<ParamRef> proj) {
        List<Subspace> subs = pending != null ? injected(proj) : selector.select(proj, density(), Seeds.stream(seed, reselections));
        pending = null;
        reselections++;
        group = proj.stream().map(ParamRef::name).toList();
        for (int i = 0; i < proj.size(); i++) {
            ParamRef p = proj.get(i);
            TensorState st = states.computeIfAbsent(p.name(), n -> new TensorState(Block.INACTIVE));
            st.subspace = subs.get(i);
            if (resetStatistics || !momentsFit(st, p)) {
                st.freeMoments(); // fresh zero moments come with the first update
            }
            if (resetStatistics) {
                st.step = 0;
            }
        }
    }

    private List<Subspace> injected(List<ParamRef> proj) {
        List<Subspace> subs = new ArrayList<>(proj.size());
        for (ParamRef p : proj) {
            Subspace s = pending.get(p.name());
            if (s == null) {
                throw new IllegalArgumentException("injected selection has no subspace for '" + p.name() + "'");
            }
            subs.add(s);
        }
        return subs;
    }

    private static boolean momentsFit(TensorState st, ParamRef p) {
        long[] want = st.subspace instanceof Projector pr ? pr.lowShape(p.param().shape()) : p.param().shape();
        return st.subspace != Block.INACTIVE
                && st.moments().values().stream().allMatch(m -> Arrays.equals(m.shape(), want));
    }

    /** One tensor's step; {@code member} is its index in the projectable group, -1 for a regular tensor. */
    private void update(ParamRef p, double lr, int member, StepStats stats) {
        boolean inGroup = member >= 0;
        TensorState st = states.computeIfAbsent(p.name(), n -> new TensorState(Block.ACTIVE));
        INDArray g = p.grad();
        INDArray w = p.param();
        Projector pr = st.subspace instanceof Projector x ? x : null;
        INDArray low = pr == null ? g : pr.down(g);
        if (st.subspace != Block.INACTIVE && st.moments().isEmpty()) {
            statefull.init(st, inGroup ? low : w);
        }
        if (weightDecay != 0) {
            w.muli(1 - lr * weightDecay);
        }
        st.step++;
        double lrFull = inGroup ? lr * projLrScale : lr;
        double lrFree = lrFull * inactiveLrScale;
        if (st.subspace == Block.ACTIVE) {
            double u = statefull.apply(st, g, lrFull, w, scratch.like(g));
            stats.record(member, p.role(), Part.STATEFULL, Blas.dot(g, g), u, g.length());
        } else if (st.subspace == Block.INACTIVE) {
            double u = statefree.apply(g, lrFree, w, scratch.like(g));
            stats.record(member, p.role(), Part.STATEFREE, Blas.dot(g, g), u, g.length());
        } else {
            projected(p, member, st, pr, low, lrFull, lrFree, stats);
        }
    }

    /**
     * u = up(rule(down g)) + free(g - up(down g)), added to the parameter after both are formed. Without
     * a state-free rule (GaLore) the residual is never formed; its energy is then |g|^2 - |down g|^2
     * (Pythagoras: the projections and coordinate subsets are orthogonal), so the statistics still
     * split the whole gradient.
     */
    private void projected(ParamRef p, int member, TensorState st, Projector pr, INDArray low, double lrFull, double lrFree,
            StepStats stats) {
        INDArray g = p.grad();
        INDArray lowUpdate = low.like(); // zeros in the layout of low, as the fused kernels need
        double fullSq = statefull.apply(st, low, lrFull, lowUpdate, scratch.like(low));
        INDArray u = pr.up(lowUpdate, g.shape());
        double lowSq = Blas.dot(low, low);
        stats.record(member, p.role(), Part.STATEFULL, lowSq, fullSq, low.length());
        long freeNumel = g.length() - low.length();
        if (statefree.updates()) {
            INDArray resid = pr.residual(g, low);
            double freeSq = statefree.apply(resid, lrFree, u, scratch.like(resid));
            stats.record(member, p.role(), Part.STATEFREE, Blas.dot(resid, resid), freeSq, freeNumel);
            resid.close();
        } else {
            stats.record(member, p.role(), Part.STATEFREE, Math.max(0, Blas.dot(g, g) - lowSq), 0, freeNumel);
        }
        p.param().addi(u);
        u.close();
        lowUpdate.close();
        low.close();
    }

    @Override
    public long stateBytes() {
        long sum = 0;
        for (TensorState st : states.values()) {
            sum += st.bytes();
        }
        return sum;
    }

    @Override
    public OptimizerState state() {
        List<TensorRecord> tensors = new ArrayList<>(states.size());
        for (Map.Entry<String, TensorState> e : states.entrySet()) {
            TensorState st = e.getValue();
            Map<String, HostArray> moments = new LinkedHashMap<>();
            st.moments().forEach((k, v) -> moments.put(k, HostArrays.copyOf(v)));
            tensors.add(new TensorRecord(e.getKey(), st.step, group.contains(e.getKey()), st.subspace.record(), moments));
        }
        return new OptimizerState(new Counters(calls, reselections, rho, rhoUpdated, updateGap, selector.cursor()), tensors);
    }

    @Override
    public void load(OptimizerState s) {
        states.values().forEach(TensorState::freeMoments);
        states.clear();
        pending = null;
        forced = false;
        List<String> members = new ArrayList<>();
        for (TensorRecord t : s.tensors()) {
            TensorState st = new TensorState(Subspace.of(t.subspace()));
            st.step = t.step();
            t.moments().forEach((k, v) -> st.putMoment(k, HostArrays.toNd4j(v)));
            states.put(t.name(), st);
            if (t.inGroup()) {
                members.add(t.name());
            }
        }
        group = List.copyOf(members);
        Counters c = s.counters();
        calls = c.calls();
        reselections = c.reselections();
        rho = c.rho();
        rhoUpdated = c.rhoUpdated();
        updateGap = c.updateGap();
        selector.restoreCursor(c.selectorCursor());
    }

    @Override
    public void close() {
        states.values().forEach(TensorState::freeMoments);
        scratch.release();
    }

    /** Composition of a FRUGAL optimizer; defaults are the paper's pre-training FRUGAL. */
    public static final class Builder {
        private StatefulRule statefull = Adam.defaults();
        private StatelessRule statefree = new SignSgd();
        private Supplier<Selector> selector = () -> new BlockSelector(BlockSelector.Order.DESCENDING);
        private Partition partition = Partition.PROJECTABLE;
        private double weightDecay;
        private double projLrScale = 1.0;
        private double inactiveLrScale = 1.0;
        private boolean resetStatistics = true;
        private long seed;
        private double rho = 0.25;
        private int updateGap = 200;

        public Builder statefull(StatefulRule r) { statefull = r; return this; }
        public Builder statefree(StatelessRule r) { statefree = r; return this; }
        /** Selectors keep state (block cursors): each optimizer built gets a fresh one. */
        public Builder selector(Supplier<Selector> s) { selector = s; return this; }
        public Builder partition(Partition p) { partition = p; return this; }
        public Builder weightDecay(double wd) { weightDecay = wd; return this; }
        public Builder projLrScale(double s) { projLrScale = s; return this; }
        public Builder inactiveLrScale(double s) { inactiveLrScale = s; return this; }
        public Builder resetStatistics(boolean r) { resetStatistics = r; return this; }
        public Builder seed(long s) { seed = s; return this; }
        public Builder density(double r) { rho = r; return this; }
        public Builder updateGap(int t) { updateGap = t; return this; }

        public Frugal build() {
            return new Frugal(this);
        }
    }
}
