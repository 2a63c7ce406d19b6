package io.frugalspark.optim.control;

import static io.frugalspark.optim.control.ControllerReplayTest.NAN_ROUND;
import static io.frugalspark.optim.control.ControllerReplayTest.ROUNDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.frugalspark.optim.method.Method.Adaptive;
import io.frugalspark.optim.method.Method.Adaptive.GapRule;
import io.frugalspark.optim.method.Method.Adaptive.RhoRule;
import io.frugalspark.optim.method.Method.Adaptive.SelectionRule;
import io.frugalspark.optim.schedule.LossAwareGap;
import io.frugalspark.optim.select.Density;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The configured set of controllers: the published AdaFRUGAL's schedules and the statistics rules together. */
class AdaFrugalControllersTest {
    private static final int BLOCKS = 8;

    /** Energy-targeted rho, drift-aware T and importance selection with exploration, sized for the recorded rounds. */
    private static AdaFrugalControllers statistics() {
        Adaptive a = new Adaptive(RhoRule.ENERGY, 0.125, 0, GapRule.DRIFT, 16, 30, 1.5, 0.005, 20, 500, SelectionRule.IMPORTANCE,
                0.5, 0.3, 0.75, 0.6, 12);
        return new AdaFrugalControllers(a, 0.75, 100, 1000, 11);
    }

    private static AdaFrugalControllers published(int tStart) {
        return new AdaFrugalControllers(Adaptive.published(), 0.25, tStart, 100, 1);
    }

    @Test
    void thePublishedControllersStartAtTheMethodsTAndCheckEveryCheckEverySteps() {
        AdaFrugalControllers c = published(200);
        assertEquals(200, c.updateGap());
        assertEquals(0.248, c.rho(0), 1e-15);
        assertFalse(c.lossCheckDue(499));
        assertTrue(c.lossCheckDue(500));
        assertEquals(500, c.nextLossCheck(0));
        assertEquals(1000, c.nextLossCheck(500));
    }

    @Test
    void aNonFiniteValidationLossIsReportedAndChangesNothing() {
        AdaFrugalControllers c = published(100);
        c.observeValidationLoss(4.0);
        Map<String, Object> before = c.state();
        for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY}) {
            assertEquals(new LossAwareGap.Check(100, Rule.IGNORED), c.observeValidationLoss(bad));
            assertEquals(before, c.state());
        }
        assertEquals(new LossAwareGap.Check(150, Rule.LOSS_PLATEAU), c.observeValidationLoss(3.999), "T still grows afterwards");
    }

    @Test
    void theLinearDecaysBlockCountChangesAreFoundAhead() {
        AdaFrugalControllers c = published(100);
        // rho(s) = 0.25 - 0.002 s over 56 blocks: floor(56 rho) is 13 for s = 1..8, 12 from s = 9 (step 8) on
        assertEquals(8, c.stepsUntilBlockCountChange(0, 56, 50));
        assertEquals(0, c.stepsUntilBlockCountChange(8, 56, 50));
        assertEquals(3, c.stepsUntilBlockCountChange(0, 56, 3));
    }

    @Test
    void decisionsCarryTheRulesThatFiredAndAnActiveSetOfTheNewBlockCount() {
        AdaFrugalControllers c = statistics();
        EnumSet<Rule> seen = EnumSet.noneOf(Rule.class);
        for (RoundStats r : ROUNDS) {
            RoundDecision d = c.afterRound(r);
            seen.addAll(d.fired());
            if (d.reselect() && r.stats().finite()) {
                assertEquals(new Density(d.rho(), true).blocks(BLOCKS), d.active().length, "round ending " + r.end());
                assertEquals(d.active().length, d.selection(r.stats().names()).subspaces().values().stream()
                        .filter(x -> x.equals(io.frugalspark.optim.state.SubspaceRecord.BlockFlag.ACTIVE)).count());
            } else {
                assertNull(d.active(), "no re-selection, no active set: round ending " + r.end());
            }
            assertEquals(30, d.updateGap(), "drift-aware T keeps the optimizer's own T at T_max");
        }
        RoundDecision last = c.afterRound(ROUNDS.get(0));
        assertEquals(last, travelled(last), "decisions travel in the round plan");
        Map<String, Object> logged = last.toMap();
        assertEquals(30, logged.get("control.T"));
        assertTrue(logged.get("control.rules") instanceof List<?>, logged.toString());
        assertTrue(seen.containsAll(EnumSet.of(Rule.ENERGY_RHO, Rule.RHO_HELD, Rule.BLOCK_COUNT, Rule.DRIFT, Rule.T_MIN,
                Rule.IMPORTANCE, Rule.EXPLORATION, Rule.IGNORED)), seen.toString());
    }

    @Test
    void aNonFiniteRoundLeavesTheControllersStateAsItWas() {
        AdaFrugalControllers c = statistics();
        ROUNDS.subList(0, NAN_ROUND).forEach(c::afterRound);
        Map<String, Object> before = c.state();
        RoundDecision d = c.afterRound(ROUNDS.get(NAN_ROUND));
        assertEquals(List.of(Rule.IGNORED), d.fired());
        assertFalse(d.reselect());
        assertTrue(Double.isNaN(d.share()));
        assertEquals(before, c.state());
    }

    @Test
    void resumingFromTheCheckpointedStateReproducesTheRemainingDecisions() {
        AdaFrugalControllers whole = statistics();
        List<RoundDecision> want = new ArrayList<>();
        ROUNDS.forEach(r -> want.add(whole.afterRound(r)));
        for (int cut : new int[] {5, NAN_ROUND, 23}) {
            AdaFrugalControllers first = statistics();
            ROUNDS.subList(0, cut).forEach(first::afterRound);
            AdaFrugalControllers resumed = statistics();
            resumed.restore(ControllerReplayTest.viaJson(first.state()));
            for (int r = cut; r < ROUNDS.size(); r++) {
                assertEquals(want.get(r), resumed.afterRound(ROUNDS.get(r)), "cut " + cut + " round " + r);
            }
        }
    }

    /** {@code d} through Java serialization, as the round plan's broadcast carries it. */
    private static RoundDecision travelled(RoundDecision d) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(d);
            }
            return (RoundDecision) new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray())).readObject();
        } catch (IOException | ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
