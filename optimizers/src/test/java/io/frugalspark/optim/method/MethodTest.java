package io.frugalspark.optim.method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.frugalspark.optim.Frugal;
import io.frugalspark.optim.ParamRef;
import io.frugalspark.optim.Presets;
import io.frugalspark.optim.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** What the descriptor tells a driver, against the optimizer it builds. */
class MethodTest {

    private static List<ParamRef> params(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<ParamRef> out = new ArrayList<>();
        String[] names = {"embed", "q", "k", "up", "down"};
        Role[] roles = {Role.EMBEDDING, Role.ATTENTION, Role.ATTENTION, Role.MLP, Role.MLP};
        long[][] shapes = {{10, 6}, {6, 6}, {6, 6}, {9, 6}, {6, 9}};
        for (int i = 0; i < names.length; i++) {
            INDArray w = Nd4j.rand(DataType.DOUBLE, shapes[i]);
            INDArray g = Nd4j.create(DataType.DOUBLE, shapes[i]);
            for (long j = 0; j < g.length(); j++) {
                g.putScalar(j, r.nextGaussian());
            }
            out.add(new ParamRef(names[i], roles[i], w, g));
        }
        return out;
    }

    /** The driver's count of steps to the next re-selection, from the state alone, agrees with the optimizer's own. */
    @Test
    void stepsUntilReselectionFollowTheOptimizer() {
        for (String preset : new String[] {"frugal-svd", "galore", "frugal", "frugal-columns"}) {
            Method m = Presets.method(preset).toBuilder().updateGap(3).build();
            Frugal f = m.create(0, 1);
            List<ParamRef> ps = params(2);
            List<Long> until = new ArrayList<>();
            for (int s = 0; s < 10; s++) {
                long u = m.stepsUntilReselection(f.state(), 3);
                assertEquals(f.reselectsNext(), u == 0, preset + " step " + s);
                until.add(u);
                f.step(ps, 1e-3);
            }
            assertEquals(List.of(0L, 2L, 1L, 0L, 2L, 1L, 0L, 2L, 1L, 0L), until, preset);
            f.close();
        }
        assertEquals(Long.MAX_VALUE, Presets.method("adamw").stepsUntilReselection(Presets.create("adamw", 0, 1, null, null).state(), 3),
                "no projectable group: never");
    }

    @Test
    void onlySvdSelectionNeedsTheDriversGradientsAndOnlyAdaFrugalIsAdaptive() {
        for (String name : Presets.names()) {
            Method m = Presets.method(name);
            assertEquals(name.equals("frugal-svd") || name.equals("galore"), m.selectionNeedsGradients(), name);
            assertEquals(name.equals("adafrugal"), m.adaptive(), name);
            assertEquals(name, m.name());
        }
        assertEquals(0.05, Presets.method("adafrugal").adaFrugal().rhoEnd());
    }

    @Test
    void oneVocabularyNamesEverySelectorAndRule() {
        for (String name : SelectorChoice.NAMES.split(", ")) {
            SelectorChoice c = SelectorChoice.of(name, "std");
            assertEquals(name, c.key());
            assertTrue(c.create() != null);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SelectorChoice.of("block-sideways", "std"));
        assertTrue(e.getMessage().contains("block-descending"), e.getMessage());
        for (StateFree r : StateFree.values()) {
            assertEquals(r, StateFree.of(r.key()));
        }
        IllegalArgumentException rule = assertThrows(IllegalArgumentException.class, () -> StateFree.of("lion"));
        assertTrue(rule.getMessage().contains("sign_sgd, sgd, sinkgd, swan, no"), rule.getMessage());
        IllegalArgumentException preset = assertThrows(IllegalArgumentException.class, () -> Presets.method("adam"));
        assertTrue(preset.getMessage().contains("adamw, sgd"), preset.getMessage());
    }

    @Test
    void invalidDensityOrGapIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Presets.method("frugal").toBuilder().rho(1.5).build());
        assertThrows(IllegalArgumentException.class, () -> Presets.method("frugal").toBuilder().updateGap(0).build());
    }
}
