package io.frugalspark.job.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.frugalspark.job.config.FrugalConfig;
import io.frugalspark.optim.method.Method;
import io.frugalspark.optim.state.Selection;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** Round planning without Spark: where rounds end, what each step gets, when the driver selects. */
class RoundPlannerTest {
    private static TrainSettings settings(String... sets) {
        List<String> all = new ArrayList<>(List.of("data.output=/nonexistent", "model.preset=tiny",
                "train.global_batch=4", "train.micro_batch=2", "train.workers=1", "optimizer.schedule=cosine"));
        all.addAll(List.of(sets));
        return TrainSettings.from(FrugalConfig.load(null, all));
    }

    private static RoundPlanner planner(TrainSettings s) {
        return planner(s, new DivergenceGuard(s.guard(), 384));
    }

    private static RoundPlanner planner(TrainSettings s, DivergenceGuard guard) {
        Method method = OptimizerFactory.method(s);
        return new RoundPlanner(s, method, new Controllers(s, method), guard);
    }

    @Test
    void roundsEndAtThePeriodAndAtEveryEvaluationAndCheckpoint() {
        TrainSettings s = settings("optimizer.preset=frugal", "train.steps=20", "train.averaging.period=4",
                "eval.every=6", "checkpoint.every=10");
        RoundPlanner planner = planner(s);
        Controllers controllers = new Controllers(s, OptimizerFactory.method(s));
        List<Long> ends = new ArrayList<>();
        long step = 0;
        for (long round = 0; step < s.loop().steps(); round++) {
            RoundPlan plan = planner.plan(round, step, null, at -> { throw new AssertionError("frugal selects on its own"); });
            assertEquals(round, plan.round());
            assertEquals(step, plan.firstStep());
            long first = step;
            assertArrayEquals(LongStream.range(first, plan.endStep()).mapToDouble(controllers::lr).toArray(), plan.lr(),
                    "every step's own lr");
            assertNull(plan.rho(), "frugal keeps its density");
            step = plan.endStep();
            ends.add(step);
        }
        assertEquals(List.of(4L, 6L, 10L, 12L, 16L, 18L, 20L), ends);
        assertEquals(List.of(6L, 12L, 18L, 20L), ends.stream().filter(planner::evalDue).toList());
        assertEquals(List.of(10L, 20L), ends.stream().filter(planner::checkpointDue).toList());
    }

    @Test
    void aDriverBuiltSelectionFallsOnTheRoundsFirstStepAndTheRoundEndsBeforeTheNext() {
        TrainSettings s = settings("optimizer.preset=frugal-svd", "optimizer.T=3", "train.steps=20", "train.averaging.period=8");
        Selection built = new Selection(java.util.Map.of());
        List<Long> asked = new ArrayList<>();
        RoundPlan plan = planner(s).plan(0, 0, OptimizerFactory.create(s).state(), at -> {
            asked.add(at);
            return built;
        });
        assertEquals(List.of(0L), asked, "built once, from the gradients at the round's first step");
        assertSame(built, plan.selection());
        assertEquals(3, plan.steps(), "cut at T = 3 although the period is 8");
    }

    @Test
    void adaFrugalPlansCarryTheDecayingRhoOfEveryStep() {
        TrainSettings s = settings("optimizer.preset=adafrugal", "train.steps=12", "train.averaging.period=4");
        Controllers controllers = new Controllers(s, OptimizerFactory.method(s));
        RoundPlan plan = planner(s).plan(1, 4, null, at -> null);
        assertArrayEquals(LongStream.range(4, 8).mapToDouble(controllers::rho).toArray(), plan.rho());
        assertEquals(controllers.updateGap(), plan.updateGap());
    }

    @Test
    void afterARollbackRoundsReadPastTheSkippedWindowAtALowerLr() throws Exception {
        TrainSettings s = settings("optimizer.preset=frugal", "train.steps=40", "train.averaging.period=8",
                "guard.policy=rollback", "checkpoint.every=8", "guard.lr_factor=0.25");
        DivergenceGuard guard = new DivergenceGuard(s.guard(), 384);
        RoundPlanner planner = planner(s, guard);
        Controllers controllers = new Controllers(s, OptimizerFactory.method(s));
        RoundPlan diverged = planner.plan(3, 12, null, at -> null);
        guard.recover(new Divergence(13, 0, "non-finite loss", null, Double.NaN), diverged, () -> 8);
        RoundPlan before = planner.plan(2, 8, null, at -> null);
        assertEquals(0, before.dataOffset(), "steps before the skipped window read their own data");
        assertEquals(12, before.endStep(), "a round ends where a skip starts (the period would end it at 16)");
        assertEquals(0.25 * controllers.lr(8), before.lr()[0], 1e-15);
        RoundPlan after = planner.plan(3, 12, null, at -> null);
        assertEquals(4, after.dataOffset(), "step 12 reads the data of step 16: 12-15 are skipped");
        assertEquals(0.25 * controllers.lr(15), after.lr()[3], 1e-15);
    }
}
