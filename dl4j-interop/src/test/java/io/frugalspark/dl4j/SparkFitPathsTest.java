package io.frugalspark.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.frugalspark.data.InputFormat;
import io.frugalspark.data.Manifest;
import io.frugalspark.data.TokenizeJob;
import io.frugalspark.data.TokenizeOptions;
import io.frugalspark.data.shard.TokenShards;
import io.frugalspark.testkit.SharedFiles;
import io.frugalspark.testkit.SparkExtension;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/** Pipeline shards to DL4J minibatch files to FRUGAL under dl4j-spark's parameter averaging on local[2]. */
@ExtendWith(SparkExtension.class)
class SparkFitPathsTest {
    private static final int BATCH = 16;

    @Test
    void frugalTrainsFromExportedShardsUnderParameterAveraging(JavaSparkContext sc, @TempDir Path tmp) throws Exception {
        String tokens = tmp.resolve("tokens").toUri().toString();
        Manifest m = TokenizeJob.run(sc, TokenizeOptions.builder()
                .input(SharedFiles.repoRoot().resolve("data/corpus/c4-en/c4-validation.00000-of-00001.json.gz").toUri().toString())
                .format(InputFormat.C4).output(tokens).vocabSize(320).seqLen(17).bpeSampleBytes(200_000).build());
        List<String> paths = ShardBatches.export(tokens, Manifest.VALIDATION, tmp.resolve("batches").toUri().toString(), BATCH,
                ShardBatches.Layout.DATA_SET);

        DataSet first = ShardBatches.read(paths.get(0));
        int[] ids;
        try (TokenShards shards = TokenShards.open(tokens, Manifest.VALIDATION)) {
            ids = shards.sequence(0);
        }
        assertEquals(ids[1], first.getLabels().getInt(0, 0, 0)); // labels are next-token ids, not one-hot
        assertEquals(ids[0], first.getFeatures().getInt(0, 0));
        assertEquals(List.of(BATCH, 1, 16), List.of((int) first.getLabels().size(0), (int) first.getLabels().size(1), (int) first.getLabels().size(2)));

        FrugalSpec spec = FrugalSpec.columns().rho(0.25).updateGap(10).seed(5);
        ComputationGraph net = new ComputationGraph(FrugalGraphs.configure(TinyLm.conf(m.vocabSize(), 11), spec, 0.01, 0));
        net.init();
        List<String> held = paths.subList(paths.size() - 5, paths.size() - 1); // full batches only
        List<String> train = paths.subList(0, Math.min(64, paths.size() - 5));
        double before = meanScore(net, held);

        SparkComputationGraph spark = new SparkComputationGraph(sc, net, SparkTraining.parameterAveraging(BATCH, 4, true));
        for (int epoch = 0; epoch < 3; epoch++) {
            spark.fit(sc.parallelize(train, 2).map(ShardBatches::read));
        }
        ComputationGraph trained = spark.getNetwork();
        double after = meanScore(trained, held);
        System.out.printf("fit(paths.map(read)): %d train files, held-out loss %.4f -> %.4f, iterations %d%n",
                train.size(), before, after, trained.getConfiguration().getIterationCount());

        assertTrue(after < before - 0.5, "held-out loss " + before + " -> " + after);
        assertNotNull(spark.getSparkTrainingStats());
        long statefull = 2L * (24 * 4 + 16 * 6) + 2L * (m.vocabSize() * 16 * 2 + m.vocabSize() + 24 + 16);
        INDArray state = trained.getUpdater().getStateViewArray();
        assertEquals(statefull + trained.paramTable().size(), state.length(),
                "moments plus one step counter per tensor");
        assertTrue(state.amaxNumber().doubleValue() > 0, "averaged moments came back");
        // Each worker's DL4J iteration restarts at 0 every split; the averaged counter keeps counting, in step with
        // the master's iteration count (averaging frequency per split).
        assertEquals(trained.getConfiguration().getIterationCount(), state.getDouble(state.length() - 1), 0.0);
        assertTrue(trained.getConfiguration().getIterationCount() > 4, "more than one split ran");
    }

    private static double meanScore(ComputationGraph net, List<String> paths) throws java.io.IOException {
        double sum = 0;
        for (String p : paths) {
            sum += net.score(ShardBatches.read(p));
        }
        return sum / paths.size();
    }
}
