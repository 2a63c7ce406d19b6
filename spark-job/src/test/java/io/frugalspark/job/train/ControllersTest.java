package io.frugalspark.job.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.frugalspark.job.config.ConfigError;
import io.frugalspark.job.config.FrugalConfig;
import io.frugalspark.optim.StepStats.Part;
import io.frugalspark.optim.TensorStats;
import io.frugalspark.optim.control.RoundDecision;
import io.frugalspark.optim.control.RoundStats;
import io.frugalspark.optim.control.Rule;
import io.frugalspark.optim.method.Method.Adaptive;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The driver's schedule as the config builds it: AdaFRUGAL's starting values, its section's keys, its faults fixed. */
class ControllersTest {

    private static FrugalConfig config(String... sets) {
        List<String> all = new ArrayList<>(List.of("optimizer.preset=adafrugal"));
        all.addAll(List.of(sets)); // later sets win
        return FrugalConfig.load(null, all);
    }

    private static Controllers controllers(String... sets) {
        FrugalConfig c = config(sets);
        TrainSettings s = TrainSettings.from(c);
        return new Controllers(s, OptimizerFactory.method(s, c));
    }

    private static String error(String... sets) {
        return assertThrows(ConfigError.class, () -> controllers(sets)).getMessage();
    }

    @Test
    void adafrugalStartsAtOptimizerT() {
        assertEquals(200, controllers("optimizer.T=200").updateGap());
        assertEquals(100, controllers().updateGap(), "the preset's T when optimizer.T is -1");
        TrainSettings s = TrainSettings.from(config("optimizer.T=200"));
        assertEquals(200, new Controllers(s, OptimizerFactory.method(s)).updateGap(), "the replicas' method agrees");
    }

    @Test
    void rhoDecaysFromOptimizerRhoToRhoEndNeverUpwards() {
        Controllers c = controllers("optimizer.rho=0.03", "optimizer.adafrugal.rho_end=0.01", "train.steps=100");
        assertTrue(c.rho(0) < 0.03, "rho(1) = " + c.rho(0));
        assertEquals(0.01, c.rho(99), 1e-15);
    }

    @Test
    void aRhoEndAboveTheStartIsAKeyNamedError() {
        String m = error("optimizer.adafrugal.rho_end=0.3");
        assertTrue(m.startsWith("optimizer.adafrugal.rho_end"), m);
        assertTrue(m.contains("0.25"), "names the starting density: " + m);
        String low = error("optimizer.rho=0.03");
        assertTrue(low.startsWith("optimizer.adafrugal.rho_end"), "the default 0.05 lies above rho 0.03: " + low);
    }

    @Test
    void everyKnobErrorNamesItsKey() {
        for (String[] bad : new String[][] {
            {"optimizer.adafrugal.T_min=2000", "optimizer.adafrugal.T_min"},
            {"optimizer.adafrugal.T_max=50", "optimizer.adafrugal.T_max"}, // below the starting T 100
            {"optimizer.adafrugal.gamma=0.9", "optimizer.adafrugal.gamma"},
            {"optimizer.adafrugal.check_every=0", "optimizer.adafrugal.check_every"},
            {"optimizer.adafrugal.rho_rule=cubic", "optimizer.adafrugal.rho_rule"},
            {"optimizer.adafrugal.gap_rule=eval", "optimizer.adafrugal.gap_rule"},
            {"optimizer.adafrugal.importance_beta=1", "optimizer.adafrugal.importance_beta"},
            {"optimizer.adafrugal.exploration=1.5", "optimizer.adafrugal.exploration"},
            {"optimizer.adafrugal.energy_share=0", "optimizer.adafrugal.energy_share"},
            {"optimizer.adafrugal.rho_hold=-1", "optimizer.adafrugal.rho_hold"}}) {
            String m = error(bad[0]);
            assertTrue(m.startsWith(bad[1]), bad[0] + ": " + m);
        }
    }

    @Test
    void theSectionsDefaultsAreThePublishedAdaFrugal() {
        assertEquals(Adaptive.published(), OptimizerFactory.controls(config()));
        assertFalse(controllers().readsStatistics());
        assertTrue(controllers("optimizer.adafrugal.gap_rule=drift").readsStatistics());
    }

    @Test
    void theSectionWrittenFromControlsReadsBackTheSame() {
        Adaptive a = new Adaptive(Adaptive.RhoRule.ENERGY, 0.04, 300, Adaptive.GapRule.DRIFT, 20, 700, 1.25, 0.01, 12, 60,
                Adaptive.SelectionRule.IMPORTANCE, 0.7, 0.1, 0.6, 0.85, 120);
        assertEquals(a, OptimizerFactory.controls(OptimizerFactory.withControls(config(), a)));
        assertEquals(Adaptive.statistics(), OptimizerFactory.controls(OptimizerFactory.withControls(config(), Adaptive.statistics())));
    }

    @Test
    void lossChecksFollowCheckEveryNotEvalEvery() {
        Controllers c = controllers("eval.every=0", "optimizer.adafrugal.check_every=40");
        assertFalse(c.lossCheckDue(39));
        assertTrue(c.lossCheckDue(80));
        assertEquals(120, c.nextLossCheck(80));
    }

    @Test
    void aNonFiniteValidationLossIsReportedAndLeavesTheStateAlone() {
        Controllers c = controllers();
        c.observeValidationLoss(3.0);
        Map<String, Object> before = c.state();
        assertEquals(Rule.IGNORED, c.observeValidationLoss(Double.NaN).rule());
        assertEquals(before, c.state());
        assertEquals(Rule.LOSS_PLATEAU, c.observeValidationLoss(3.001).rule());
        assertEquals(150, c.updateGap());
    }

    @Test
    void stateRestoresIntoAFreshDriver() {
        Controllers c = controllers();
        c.observeValidationLoss(3.0);
        c.observeValidationLoss(3.001);
        Controllers resumed = controllers();
        resumed.restore(c.state());
        assertEquals(150, resumed.updateGap());
        assertEquals(c.state(), resumed.state());
    }

    @Test
    void statisticsRulesDecideFromTheRoundsTensorStatistics() {
        Controllers c = controllers("optimizer.adafrugal.gap_rule=drift", "optimizer.adafrugal.selection_rule=importance",
                "optimizer.rho=0.5", "optimizer.T=10", "optimizer.adafrugal.T_min=2", "optimizer.adafrugal.T_max=20");
        assertTrue(c.readsStatistics());
        assertEquals(20, c.updateGap(), "drift-aware T keeps the optimizer's T at T_max");
        List<String> group = List.of("a", "b", "c", "d");
        RoundDecision first = c.afterRound(new RoundStats(4, 4, 4, stats(group, 8, 2)));
        assertFalse(first.reselect(), "the reference is measured over the first round after a re-selection");
        RoundDecision drifted = c.afterRound(new RoundStats(8, 4, 8, stats(group, 1, 9)));
        assertTrue(drifted.reselect());
        assertEquals(List.of(Rule.DRIFT, Rule.IMPORTANCE), drifted.fired());
        assertEquals(1, drifted.active().length, "floor(4 x rho(8)) = floor(1.92) blocks");
        assertEquals(3, drifted.active()[0], "the block with the most energy per element");
        assertEquals(group.size(), drifted.selection(group).subspaces().size());
    }

    /** Block 0 active with energy {@code full}, the others state-free, block 3 the most energetic of them. */
    private static TensorStats stats(List<String> group, double full, double free) {
        TensorStats t = new TensorStats(group);
        t.record(0, Part.STATEFULL, full, 0, 16);
        for (int i = 1; i < group.size(); i++) {
            t.record(i, Part.STATEFREE, free * i, 0, 16);
        }
        return t;
    }
}
