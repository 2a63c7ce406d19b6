package io.frugalspark.job.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.frugalspark.job.config.ConfigError;
import io.frugalspark.job.config.FrugalConfig;
import io.frugalspark.optim.Frugal;
import io.frugalspark.optim.ParamRef;
import io.frugalspark.optim.Role;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The group lr scales in the config reach the optimizer (ALGORITHMS.md section 1's lr_sf and lr_free). */
class OptimizerFactoryTest {
    private static final double LR = 0.01;

    private static Frugal optimizer(String... sets) {
        List<String> all = new ArrayList<>(List.of("optimizer.preset=frugal-rho0"));
        all.addAll(List.of(sets)); // later sets win
        return OptimizerFactory.create(TrainSettings.from(FrugalConfig.load(null, all)));
    }

    /** One step from zero parameters; returns how far each tensor moved per element (max |delta|). */
    private static double[] moves(Frugal f) {
        INDArray g = Nd4j.createFromArray(new double[][] {{0.3, -0.2}, {0.5, -0.7}});
        ParamRef attention = new ParamRef("model.layers.0.self_attn.q_proj.weight", Role.ATTENTION,
                Nd4j.zeros(DataType.DOUBLE, 2, 2), g.dup());
        ParamRef embedding = new ParamRef("model.embed_tokens.weight", Role.EMBEDDING, Nd4j.zeros(DataType.DOUBLE, 2, 2), g.dup());
        f.step(List.of(embedding, attention), LR);
        return new double[] {
            attention.param().amaxNumber().doubleValue(), embedding.param().amaxNumber().doubleValue(),
            attention.param().aminNumber().doubleValue()};
    }

    @Test
    void presetDefaultsMoveTheStateFreeMatricesByLr() {
        double[] m = moves(optimizer());
        assertEquals(LR, m[0], 1e-15, "signSGD at lr x 1 x 1");
        assertEquals(LR, m[2], 1e-15, "every entry moves by the same amount");
    }

    @Test
    void projAndInactiveScalesMultiplyOnlyTheProjectableGroup() {
        double[] m = moves(optimizer("optimizer.proj_lr_scale=0.5", "optimizer.inactive_lr_scale=0.2"));
        assertEquals(0.5 * 0.2 * LR, m[0], 1e-15, "signSGD at lr x proj_lr_scale x inactive_lr_scale");
        assertEquals(LR, m[1], 1e-9, "AdamW's first step on the regular group moves lr x g/(|g|+eps) whatever the scales");
    }

    @Test
    void aZeroOrNegativeScaleNamesTheKey() {
        ConfigError e = assertThrows(ConfigError.class, () -> optimizer("optimizer.proj_lr_scale=0"));
        assertTrue(e.getMessage().contains("optimizer.proj_lr_scale"), e.getMessage());
        ConfigError f = assertThrows(ConfigError.class, () -> optimizer("optimizer.inactive_lr_scale=-2"));
        assertTrue(f.getMessage().contains("optimizer.inactive_lr_scale"), f.getMessage());
    }

    @Test
    void aScaleOnAPresetWithoutAProjectableGroupIsRefusedNotIgnored() {
        ConfigError e = assertThrows(ConfigError.class, () -> optimizer("optimizer.preset=adamw", "optimizer.proj_lr_scale=0.1"));
        assertTrue(e.getMessage().contains("optimizer.proj_lr_scale") && e.getMessage().contains("'adamw'"), e.getMessage());
    }
}
