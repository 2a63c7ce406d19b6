package io.frugalspark.dl4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.nio.file.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;

/** ModelSerializer round trips, and DL4J's updater state sized to the state-full subspace. */
class PersistenceAndMemoryTest {
    private static final int VOCAB = 20;

    @Test
    void modelSerializerRoundTripContinuesIdentically(@TempDir Path dir) throws Exception {
        FrugalSpec spec = FrugalSpec.columns().rho(0.5).updateGap(2).seed(3);
        ComputationGraph net = new ComputationGraph(FrugalGraphs.configure(TinyLm.conf(VOCAB, 1), spec, 0.01, 0.1));
        net.init();
        for (int t = 0; t < 3; t++) {
            net.fit(TinyLm.randomBatch(VOCAB, 4, 6, t));
        }
        File file = dir.resolve("net.zip").toFile();
        ModelSerializer.writeModel(net, file, true);
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(file, true);

        assertEquals(net.getConfiguration().toJson(), restored.getConfiguration().toJson());
        assertEquals(net.getConfiguration(), restored.getConfiguration());
        assertEquals(net.params(), restored.params());
        assertEquals(net.getUpdater().getStateViewArray(), restored.getUpdater().getStateViewArray());
        DataSet next = TinyLm.randomBatch(VOCAB, 4, 6, 99); // call 3: mid-period, moments come from the restored view
        net.fit(next);
        restored.fit(next);
        assertArrayEquals(net.params().toFloatVector(), restored.params().toFloatVector(), 0f);
    }

    @Test
    void updaterStateCoversTheStatefullSubspaceOnly() {
        ComputationGraph net = new ComputationGraph(FrugalGraphs.configure(TinyLm.conf(VOCAB, 1), FrugalSpec.columns().rho(0.25), 0.01, 0));
        net.init();
        // regular: embed 20x16, lm_head 16x20 + 20, biases 24 + 16: AdamW, 2 moments each
        long regular = 2L * (20 * 16 + 16 * 20 + 20 + 24 + 16);
        // projectable [out, in]: mlp_in 24x16 keeps int(16 * 0.25) = 4 input columns, mlp_out 16x24 keeps 6
        long projectable = 2L * (24 * 4 + 16 * 6);
        long counters = net.paramTable().size(); // one step counter per tensor (StateLayout)
        assertEquals(regular + projectable + counters, net.getUpdater().getStateViewArray().length());
        assertEquals(4 * (regular + projectable + counters), FrugalGraphs.stateBytes(net));

        ComputationGraph adamw = new ComputationGraph(FrugalGraphs.configure(TinyLm.conf(VOCAB, 1), FrugalSpec.adamw(), 0.01, 0));
        adamw.init();
        assertEquals(2 * adamw.numParams() + adamw.paramTable().size(), adamw.getUpdater().getStateViewArray().length());
    }
}
