package io.frugalspark.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.frugalspark.optim.StepStats.Part;
import io.frugalspark.optim.rule.Adam;
import io.frugalspark.optim.rule.Lion;
import io.frugalspark.optim.rule.SgdMomentum;
import io.frugalspark.optim.select.BlockSelector;
import io.frugalspark.optim.select.CoordinateSelector;
import io.frugalspark.optim.select.ProjectionSelector;
import io.frugalspark.optim.subspace.Block;
import io.frugalspark.optim.subspace.Coordinates;
import io.frugalspark.optim.state.CoordinateChoice;
import io.frugalspark.optim.state.OptimizerState;
import io.frugalspark.optim.state.Selection;
import io.frugalspark.optim.state.StateCodec;
import io.frugalspark.optim.state.TensorRecord;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Behaviour the vectors do not pin: state shapes, memory release, round trips, determinism, rules. */
class FrugalTest {

    static List<ParamRef> tiny(DataType type, long seed) {
        List<ParamRef> out = new ArrayList<>();
        out.add(param("emb", Role.EMBEDDING, type, seed, 5, 3));
        out.add(param("q", Role.ATTENTION, type, seed + 1, 6, 4));
        out.add(param("k", Role.ATTENTION, type, seed + 2, 4, 6));
        out.add(param("up", Role.MLP, type, seed + 3, 8, 4));
        out.add(param("down", Role.MLP, type, seed + 4, 4, 8));
        out.add(param("norm", Role.NORM, type, seed + 5, 4));
        return out;
    }

    private static ParamRef param(String name, Role role, DataType type, long seed, long... shape) {
        return new ParamRef(name, role, Nd4j.randn(seed, shape).castTo(type), Nd4j.randn(seed + 100, shape).castTo(type));
    }

    static void newGrads(List<ParamRef> ps, long seed) {
        for (ParamRef p : ps) {
            // randn's seed 0 means unseeded: keep seeds positive
            p.grad().assign(Nd4j.randn(1000 + seed++, p.grad().shape()).castTo(p.grad().dataType()));
        }
    }

    static Frugal.Builder base() {
        return Frugal.builder().weightDecay(0.1).projLrScale(0.5).inactiveLrScale(0.3).density(0.5).updateGap(3).seed(42);
    }

    @Test
    void randkKeepsA1dStateOfKEntries() {
        Frugal f = base().selector(() -> new CoordinateSelector(CoordinateChoice.RANDK)).build();
        List<ParamRef> ps = tiny(DataType.DOUBLE, 1);
        f.step(ps, 0.01);
        assertArrayEquals(new long[] {12}, f.tensorState("q").moment(Adam.EXP_AVG).shape()); // int(24 * 0.5)
        assertArrayEquals(new long[] {16}, f.tensorState("up").moment(Adam.EXP_AVG_SQ).shape());
        assertArrayEquals(new long[] {5, 3}, f.tensorState("emb").moment(Adam.EXP_AVG).shape());
    }

    @Test
    void droppedBlockMomentsAreFreedOffHeap() {
        Frugal f = base().selector(() -> new BlockSelector(BlockSelector.Order.ASCENDING)).build();
        List<ParamRef> ps = tiny(DataType.FLOAT, 2);
        f.step(ps, 0.01); // q and k active
        INDArray qMoment = f.tensorState("q").moment(Adam.EXP_AVG);
        long before = f.stateBytes();
        f.step(ps, 0.01);
        f.step(ps, 0.01);
        assertFalse(qMoment.wasClosed());
        f.step(ps, 0.01); // re-selection: up and down active, q and k dropped
        assertTrue(qMoment.wasClosed(), "the dropped moment's native buffer was released");
        assertTrue(f.tensorState("q").moments().isEmpty());
        assertEquals(Block.INACTIVE, f.subspace("q"));
        long adamEmbAndNorm = 2L * 4 * (15 + 4);
        assertEquals(adamEmbAndNorm + 2L * 4 * (24 + 24), before);
        assertEquals(adamEmbAndNorm + 2L * 4 * (32 + 32), f.stateBytes());
    }

    @Test
    void stateRoundTripsExactlyThroughBytesAndContinuesIdentically() throws IOException {
        for (Frugal.Builder b : new Frugal.Builder[] {
                base().selector(() -> new BlockSelector(BlockSelector.Order.MIRROR)).density(0.5),
                base().selector(() -> new CoordinateSelector(CoordinateChoice.COLUMNS)),
                base().selector(() -> new ProjectionSelector(ProjectionSelector.Type.RANDOM, ProjectionSelector.Side.FULL)),
                base().selector(() -> new ProjectionSelector(ProjectionSelector.Type.SVD, ProjectionSelector.Side.STD)).statefull(Lion.defaults())}) {
            List<ParamRef> a = tiny(DataType.DOUBLE, 3);
            Frugal f = b.build();
            for (int s = 0; s < 4; s++) {
                newGrads(a, 10 * s);
                f.step(a, 0.01);
            }
            byte[] bytes = bytes(f.state());
            Frugal g = b.build();
            g.load(StateCodec.read(new ByteArrayInputStream(bytes)));
            assertArrayEquals(bytes, bytes(g.state()));
            List<ParamRef> c = new ArrayList<>();
            a.forEach(p -> c.add(new ParamRef(p.name(), p.role(), p.param().dup(), p.grad().dup())));
            for (int s = 4; s < 9; s++) {
                newGrads(a, 10 * s);
                newGrads(c, 10 * s);
                f.step(a, 0.01);
                g.step(c, 0.01);
            }
            for (int i = 0; i < a.size(); i++) {
                assertEquals(a.get(i).param(), c.get(i).param(), a.get(i).name());
            }
        }
    }

    @Test
    void averagingReplicasAveragesMomentsOnly() {
        List<OptimizerState> replicas = new ArrayList<>();
        for (long seed : new long[] {1, 2}) {
            Frugal f = base().selector(() -> new CoordinateSelector(CoordinateChoice.COLUMNS)).build();
            f.step(tiny(DataType.DOUBLE, seed), 0.01);
            replicas.add(f.state());
        }
        OptimizerState avg = OptimizerState.average(replicas);
        TensorRecord q0 = replicas.get(0).tensor("q").orElseThrow();
        TensorRecord q1 = replicas.get(1).tensor("q").orElseThrow();
        TensorRecord q = avg.tensor("q").orElseThrow();
        INDArray want = HostArrays.toNd4j(q0.moments().get("exp_avg")).add(HostArrays.toNd4j(q1.moments().get("exp_avg"))).divi(2);
        assertEquals(want, HostArrays.toNd4j(q.moments().get("exp_avg")));
        assertEquals(q0.subspace(), q.subspace());
        assertEquals(1, q.step());
    }

    @Test
    void sameSeedSameSelectionAndInjectionReproducesIt() {
        List<ParamRef> ps = tiny(DataType.DOUBLE, 4);
        Frugal a = base().selector(() -> new CoordinateSelector(CoordinateChoice.COLUMNS)).build();
        Frugal b = base().selector(() -> new CoordinateSelector(CoordinateChoice.COLUMNS)).build();
        Frugal other = base().selector(() -> new CoordinateSelector(CoordinateChoice.COLUMNS)).seed(43).build();
        assertTrue(a.reselectsNext());
        Selection drawn = a.computeSelection(ps);
        Frugal replica = base().selector(() -> new CoordinateSelector(CoordinateChoice.COLUMNS)).seed(999).build();
        replica.inject(drawn);
        for (Frugal f : new Frugal[] {a, b, other, replica}) {
            f.step(tiny(DataType.DOUBLE, 4), 0.01);
        }
        int[] colsA = ((Coordinates) a.subspace("up")).indices();
        assertArrayEquals(colsA, ((Coordinates) b.subspace("up")).indices());
        assertArrayEquals(colsA, ((Coordinates) replica.subspace("up")).indices());
        assertEquals(2, colsA.length);
        boolean anyDiffers = false;
        for (String n : new String[] {"q", "k", "up", "down"}) {
            anyDiffers |= !java.util.Arrays.equals(((Coordinates) a.subspace(n)).indices(), ((Coordinates) other.subspace(n)).indices());
        }
        assertTrue(anyDiffers, "another seed draws other columns");
        assertFalse(a.reselectsNext());
    }

    @Test
    void sgdMomentumStartsFromZeroUnlessReplayingTheReference() {
        INDArray w = Nd4j.createFromArray(1.0, -2.0);
        INDArray g = Nd4j.createFromArray(0.5, 0.25);
        Frugal f = Frugal.builder().partition(Partition.NONE).statefull(new SgdMomentum(0.9, 0, false)).build();
        f.step(List.of(new ParamRef("w", Role.OTHER, w, g)), 0.1);
        assertEquals(Nd4j.createFromArray(0.5, 0.25), f.tensorState("w").moment(SgdMomentum.BUFFER));
        assertEquals(Nd4j.createFromArray(0.95, -2.025), w);
        INDArray w2 = Nd4j.createFromArray(1.0, -2.0);
        Frugal compat = Frugal.builder().partition(Partition.NONE).statefull(new SgdMomentum(0.9, 0, true)).build();
        compat.step(List.of(new ParamRef("w", Role.OTHER, w2, g)), 0.1);
        assertEquals(Nd4j.createFromArray(1.4, -1.55), compat.tensorState("w").moment(SgdMomentum.BUFFER)); // 0.9 * w + g
    }

    @Test
    void lionStepsBySignThenTracksTheGradient() {
        INDArray w = Nd4j.createFromArray(1.0, 1.0, 1.0);
        INDArray g = Nd4j.createFromArray(0.5, -2.0, 0.0);
        Frugal f = Frugal.builder().partition(Partition.NONE).statefull(Lion.defaults()).build();
        f.step(List.of(new ParamRef("w", Role.OTHER, w, g)), 0.1);
        assertEquals(Nd4j.createFromArray(0.9, 1.1, 1.0), w);
        assertEquals(0, f.tensorState("w").moment(Lion.EXP_AVG).sub(g.mul(0.01)).amaxNumber().doubleValue(), 1e-15);
    }

    @Test
    void statsSplitGradientBetweenParts() {
        Frugal f = base().selector(() -> new BlockSelector(BlockSelector.Order.ASCENDING)).build();
        List<ParamRef> ps = tiny(DataType.DOUBLE, 5);
        StepStats s = f.step(ps, 0.01);
        assertEquals(sq(ps.get(1)) + sq(ps.get(2)), s.gradSq(Role.ATTENTION, Part.STATEFULL), 1e-12); // q, k active
        assertEquals(sq(ps.get(3)) + sq(ps.get(4)), s.gradSq(Role.MLP, Part.STATEFREE), 1e-12);
        assertEquals(0, s.numel(Role.MLP, Part.STATEFULL));
        assertEquals(64, s.numel(Role.MLP, Part.STATEFREE));
        assertEquals(0.0015 * 0.0015 * 64, s.updateSq(Role.MLP, Part.STATEFREE), 1e-15); // sign update, no zeros
        StepStats twice = new StepStats().add(s).add(s);
        assertEquals(2 * s.toMap().get("total.statefull.grad_sq"), twice.toMap().get("total.statefull.grad_sq"), 1e-12);
        assertNotEquals(null, s.toMap().get("attention.statefull.update_sq"));
    }

    private static double sq(ParamRef p) {
        return p.grad().mul(p.grad()).sumNumber().doubleValue();
    }

    @Test
    void float32AndFloat64FollowTheSameRules() {
        List<ParamRef> d = tiny(DataType.DOUBLE, 6);
        List<ParamRef> s = tiny(DataType.FLOAT, 6);
        Frugal fd = base().selector(() -> new ProjectionSelector(ProjectionSelector.Type.RANDOM, ProjectionSelector.Side.STD)).build();
        Frugal fs = base().selector(() -> new ProjectionSelector(ProjectionSelector.Type.RANDOM, ProjectionSelector.Side.STD)).build();
        for (int i = 0; i < 5; i++) {
            newGrads(d, i);
            newGrads(s, i);
            fd.step(d, 0.01);
            fs.step(s, 0.01);
        }
        for (int i = 0; i < d.size(); i++) {
            assertEquals(DataType.FLOAT, s.get(i).param().dataType());
            assertEquals(0, d.get(i).param().sub(s.get(i).param().castTo(DataType.DOUBLE)).amaxNumber().doubleValue(), 1e-5, d.get(i).name());
        }
    }

    private static byte[] bytes(OptimizerState s) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StateCodec.write(s, out);
        return out.toByteArray();
    }
}
