package io.frugalspark.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.frugalspark.optim.schedule.Cosine;
import io.frugalspark.optim.schedule.Linear;
import io.frugalspark.optim.schedule.LinearRhoDecay;
import io.frugalspark.optim.schedule.LossAwareGap;
import io.frugalspark.optim.subspace.Block;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** AdaFRUGAL's controllers (section 8) and the plain schedules, against hand-derived values. */
class ControllersTest {

    private static LossAwareGap published() {
        return new LossAwareGap(100, new LossAwareGap.Settings(1000, 1.5, 0.005, 20, 500));
    }

    @Test
    void gapClimbsTheLadderWithHalfEvenRounding() {
        LossAwareGap gap = published();
        List<Integer> ladder = new ArrayList<>();
        double loss = 4.0;
        ladder.add(gap.observe(loss).gap()); // the first check compares with +infinity: no growth
        for (int i = 0; i < 7; i++) {
            loss *= 0.999; // rel 0.001 < tau 0.005
            ladder.add(gap.observe(loss).gap());
        }
        assertEquals(List.of(100, 150, 225, 338, 507, 760, 1000, 1000), ladder);
    }

    @Test
    void gapHoldsWhenLossMovesOrIsAboveTheGuard() {
        LossAwareGap gap = published();
        gap.observe(4.0);
        assertEquals(100, gap.observe(3.9).gap()); // rel 0.025 >= tau
        LossAwareGap high = published();
        high.observe(25.0);
        assertEquals(100, high.observe(25.0).gap()); // loss above L_guard 20
        assertEquals(true, gap.checksAt(1000));
        assertEquals(false, gap.checksAt(999));
        assertEquals(false, gap.checksAt(0));
        assertEquals(500, gap.nextCheck(0));
        assertEquals(1000, gap.nextCheck(500));
        assertEquals(1000, gap.nextCheck(999));
    }

    @Test
    void rhoDecaysLinearlyToItsFloor() {
        LinearRhoDecay d = new LinearRhoDecay(0.25, 0.05, 100);
        assertEquals(0.248, d.rho(1), 1e-15);
        assertEquals(0.15, d.rho(50), 1e-15);
        assertEquals(0.05, d.rho(100), 1e-15);
        assertEquals(0.05, d.rho(250), 1e-15);
    }

    @Test
    void blockCountFollowsADecayingRhoAtOnce() {
        List<ParamRef> params = new ArrayList<>();
        for (int i = 0; i < 56; i++) {
            params.add(new ParamRef("t" + i, Role.MLP, Nd4j.zeros(DataType.DOUBLE, 2, 2), Nd4j.ones(DataType.DOUBLE, 2, 2)));
        }
        Frugal f = Presets.create("adafrugal", 0, 1, null, null);
        f.step(params, 1e-3);
        assertEquals(14, active(f, params)); // built with round(0.25 * 56)
        LinearRhoDecay d = new LinearRhoDecay(0.25, 0.05, 100);
        f.setDensity(d.rho(1)); // floor(0.248 * 56) = 13: re-select on the spot
        f.step(params, 1e-3);
        assertEquals(13, active(f, params));
        assertEquals(1, f.tensorState("t0").step); // counters reset by the re-selection
        f.setDensity(d.rho(2)); // floor(0.246 * 56) = 13: nothing changes
        f.step(params, 1e-3);
        assertEquals(2, f.tensorState("t0").step);
        f.setDensity(d.rho(100));
        f.step(params, 1e-3);
        assertEquals(2, active(f, params)); // floor(0.05 * 56)
    }

    private static long active(Frugal f, List<ParamRef> params) {
        return params.stream().filter(p -> f.subspace(p.name()) == Block.ACTIVE).count();
    }

    @Test
    void plainSchedules() {
        Cosine c = new Cosine(10, 110, 0.1);
        assertEquals(0.5, c.multiplier(5), 1e-15);
        assertEquals(1.0, c.multiplier(10), 1e-15);
        assertEquals(0.55, c.multiplier(60), 1e-15); // halfway: 0.1 + 0.9 * 0.5
        assertEquals(0.1, c.multiplier(500), 1e-15);
        Linear l = new Linear(0, 100, 0.0);
        assertEquals(0.75, l.multiplier(25), 1e-15);
        assertEquals(0.0, l.multiplier(100), 1e-15);
    }
}
