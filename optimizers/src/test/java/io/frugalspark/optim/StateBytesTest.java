package io.frugalspark.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.frugalspark.optim.select.ProjectionSelector;
import io.frugalspark.optim.select.ProjectionSelector.Side;
import io.frugalspark.optim.select.ProjectionSelector.Type;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** stateBytes() on the 60M LLaMA in float32 reproduces ALGORITHMS.md section 12's table. */
class StateBytesTest {
    private static final double GIB = 1L << 30;
    private static List<ParamRef> params;

    @BeforeAll
    static void model() {
        params = Llama60M.params(DataType.FLOAT, 0);
        assertEquals(2L * 32000 * 512 + 17 * 512 + 8L * (4 * 512 * 512 + 3 * 512 * 1376), Llama60M.count(params)); // 58.07M
    }

    @AfterAll
    static void free() {
        params.forEach(p -> {
            p.param().close();
            p.grad().close();
        });
    }

    private static double gib(String preset) {
        return gib(Presets.create(preset, 0, 1, null, null));
    }

    private static double gib(Frugal f) {
        f.step(params, 0.0); // lr 0: state is allocated, parameters stay put
        double g = f.stateBytes() / GIB;
        f.close();
        return g;
    }

    @Test
    void adamwHoldsTwoMomentsOfEveryParameter() {
        assertEquals(0.43, gib("adamw"), 0.005);
    }

    @Test
    void blockQuarterHoldsMomentsOfRegularAndActiveTensors() {
        assertEquals(0.29, gib("frugal"), 0.005);
    }

    @Test
    void rhoZeroHoldsOnlyTheRegularTensorsMoments() {
        assertEquals(0.24, gib("frugal-rho0"), 0.005);
    }

    @Test
    void svdHoldsProjectedMomentsAndBases() {
        // random bases have svd's shapes (std side, r = 128) without 56 SVDs on a shared 2-core box
        Frugal f = Frugal.builder().selector(() -> new ProjectionSelector(Type.RANDOM, Side.STD)).density(0.25).build();
        assertEquals(0.30, gib(f), 0.005);
    }
}
