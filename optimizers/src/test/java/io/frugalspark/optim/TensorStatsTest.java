package io.frugalspark.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.frugalspark.optim.StepStats.Part;
import io.frugalspark.optim.select.BlockSelector;
import io.frugalspark.optim.select.Density;
import io.frugalspark.optim.select.ProjectionSelector;
import io.frugalspark.optim.subspace.Block;
import io.frugalspark.optim.method.StateFree;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** The per-tensor statistics a step reports, and the driver's hold on re-selection (forced, injected block sets). */
class TensorStatsTest {
    private static final List<String> GROUP = List.of("q", "k", "up", "down");

    private static double sq(ParamRef p) {
        return p.grad().mul(p.grad()).sumNumber().doubleValue();
    }

    @Test
    void blocksReportEachTensorsEnergyInThePartItIsIn() {
        Frugal f = FrugalTest.base().selector(() -> new BlockSelector(BlockSelector.Order.ASCENDING)).build();
        List<ParamRef> ps = FrugalTest.tiny(DataType.DOUBLE, 5);
        StepStats s = f.step(ps, 0.01);
        TensorStats t = s.tensors();
        assertEquals(GROUP, t.names());
        assertEquals(sq(ps.get(1)), t.gradSq(0, Part.STATEFULL), 1e-12); // q active (ascending, k = 2)
        assertEquals(0, t.gradSq(0, Part.STATEFREE), 0.0);
        assertEquals(sq(ps.get(3)), t.gradSq(2, Part.STATEFREE), 1e-12);
        assertEquals(32, t.numel(2, Part.STATEFREE));
        assertEquals(0, t.numel(2, Part.STATEFULL));
        assertEquals(s.gradSq(Role.ATTENTION, Part.STATEFULL), t.gradSq(Part.STATEFULL), 1e-12);
        assertEquals(s.gradSq(Role.MLP, Part.STATEFREE), t.gradSq(Part.STATEFREE), 1e-12);
        assertEquals(s.updateSq(Role.MLP, Part.STATEFREE), t.updateSq(2, Part.STATEFREE) + t.updateSq(3, Part.STATEFREE), 1e-15);
        double share = t.gradSq(Part.STATEFULL) / (t.gradSq(Part.STATEFULL) + t.gradSq(Part.STATEFREE));
        assertEquals(share, t.statefullShare(), 0.0);
        assertEquals(t.gradSq(2, Part.STATEFREE) / 32, t.energyPerElement(2), 0.0);
    }

    @Test
    void adamsUpdateEnergyIsTheSquaredChangeOfTheWeights() {
        Frugal f = FrugalTest.base().weightDecay(0).selector(() -> new BlockSelector(BlockSelector.Order.ASCENDING)).build();
        List<ParamRef> ps = FrugalTest.tiny(DataType.DOUBLE, 6);
        for (int step = 1; step <= 2; step++) { // step 2: the moments are not zero any more
            var before = ps.get(1).param().dup();
            TensorStats t = f.step(ps, 0.01).tensors();
            var delta = ps.get(1).param().sub(before);
            double changed = delta.mul(delta).sumNumber().doubleValue();
            assertEquals(changed, t.updateSq(0, Part.STATEFULL), 1e-12 * changed, "q's Adam step " + step);
        }
    }

    @Test
    void galoreWithoutAStateFreeRuleStillSplitsTheWholeGradient() {
        Frugal f = FrugalTest.base().selector(() -> new ProjectionSelector(ProjectionSelector.Type.RANDOM, ProjectionSelector.Side.STD))
                .statefree(StateFree.NONE.create()).build();
        List<ParamRef> ps = FrugalTest.tiny(DataType.DOUBLE, 7);
        TensorStats t = f.step(ps, 0.01).tensors();
        for (int i = 0; i < GROUP.size(); i++) {
            assertEquals(sq(ps.get(i + 1)), t.gradSq(i), 1e-9, GROUP.get(i)); // Pythagoras
            assertTrue(t.gradSq(i, Part.STATEFREE) > 0, GROUP.get(i));
            assertEquals(ps.get(i + 1).grad().length(), t.numel(i, Part.STATEFULL) + t.numel(i, Part.STATEFREE));
        }
    }

    @Test
    void statisticsAddAcrossStepsAndWorkersAndTravel() throws IOException, ClassNotFoundException {
        Frugal f = FrugalTest.base().build();
        List<ParamRef> ps = FrugalTest.tiny(DataType.DOUBLE, 3);
        StepStats one = f.step(ps, 0.01);
        StepStats round = new StepStats().add(one).add(one);
        assertEquals(2 * one.tensors().gradSq(1, Part.STATEFULL) + 2 * one.tensors().gradSq(1, Part.STATEFREE),
                round.tensors().gradSq(1), 0.0);
        assertEquals(2 * (one.tensors().numel(3, Part.STATEFULL) + one.tensors().numel(3, Part.STATEFREE)),
                round.tensors().numel(3, Part.STATEFULL) + round.tensors().numel(3, Part.STATEFREE));
        assertEquals(one.tensors().energyPerElement(3), round.tensors().energyPerElement(3), 1e-15);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(round);
        }
        StepStats back = (StepStats) new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray())).readObject();
        assertEquals(round.tensors(), back.tensors());
        assertThrows(IllegalArgumentException.class, () -> new TensorStats(List.of("x")).add(one.tensors()));
        assertNull(Frugal.builder().partition(Partition.NONE).build().step(ps, 0.01).tensors(), "AdamW has no projectable group");
    }

    @Test
    void aNonFiniteSumMarksTheStatistics() {
        TensorStats t = new TensorStats(GROUP);
        t.record(1, Part.STATEFREE, 2.0, 1.0, 4);
        assertTrue(t.finite());
        t.record(2, Part.STATEFULL, Double.NaN, 0, 4);
        assertFalse(t.finite());
    }

    @Test
    void theDriverCanForceAReselectionWithItsOwnActiveSet() {
        boolean[] chosen = {false, true, false, true}; // k and down: no block order gives that pair
        List<Frugal> workers = List.of(FrugalTest.base().seed(1).build(), FrugalTest.base().seed(2).build());
        for (Frugal f : workers) {
            List<ParamRef> ps = FrugalTest.tiny(DataType.DOUBLE, 4);
            f.step(ps, 0.01); // T = 3: the next re-selection would fall at step 3
            f.inject(BlockSelector.selection(GROUP, chosen));
            f.reselectNext();
            assertTrue(f.reselectsNext());
            f.step(ps, 0.01);
            for (int i = 0; i < GROUP.size(); i++) {
                assertEquals(Block.of(chosen[i]), f.subspace(GROUP.get(i)), GROUP.get(i));
            }
            assertEquals(1, f.tensorState("q").step, "counters restart at a forced re-selection");
            assertFalse(f.reselectsNext(), "forcing lasts one step");
        }
        assertThrows(IllegalArgumentException.class, () -> BlockSelector.selection(GROUP, new boolean[3]));
    }

    @Test
    void densityOfKBlocksGivesKBlocksUnderTheFloor() {
        assertTrue(Math.floor(49 * (1.0 / 49)) < 1, "the case that needs the nudge");
        for (int n = 1; n <= 200; n++) {
            for (int k = 0; k <= n; k++) {
                double rho = Density.ofBlocks(k, n);
                assertEquals(k, new Density(rho, true).blocks(n), k + " of " + n);
                assertTrue(rho - (double) k / n < 1e-15, k + " of " + n);
            }
        }
    }
}
