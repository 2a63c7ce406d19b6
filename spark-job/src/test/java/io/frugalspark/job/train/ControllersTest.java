package io.frugalspark.job.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.frugalspark.job.config.ConfigError;
import io.frugalspark.job.config.FrugalConfig;
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
}
