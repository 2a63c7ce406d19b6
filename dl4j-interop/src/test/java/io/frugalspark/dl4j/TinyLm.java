package io.frugalspark.dl4j;

import java.util.Random;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToRnnPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.RnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.impl.LossSparseMCXENT;

/** A tiny next-token network: embedding, two dense layers (the projectable group), softmax head over ids. */
final class TinyLm {
    private TinyLm() {
    }

    static ComputationGraphConfiguration conf(int vocab, long seed) {
        return new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .updater(new Sgd(0)) // replaced tensor by tensor by FrugalGraphs
                .weightInit(WeightInit.XAVIER)
                .graphBuilder()
                .addInputs("tokens")
                .addLayer("embed", new EmbeddingSequenceLayer.Builder().nIn(vocab).nOut(16).hasBias(false).build(), "tokens")
                .addLayer("mlp_in", new DenseLayer.Builder().nIn(16).nOut(24).activation(Activation.TANH).build(),
                        new RnnToFeedForwardPreProcessor(), "embed")
                .addLayer("mlp_out", new DenseLayer.Builder().nIn(24).nOut(16).activation(Activation.TANH).build(), "mlp_in")
                .addLayer("lm_head", new RnnOutputLayer.Builder(new LossSparseMCXENT()).dataFormat(RNNFormat.NCW).nIn(16).nOut(vocab).activation(Activation.SOFTMAX).build(),
                        new FeedForwardToRnnPreProcessor(), "mlp_out")
                .setOutputs("lm_head")
                .build();
    }

    /** Random token sequences: features [mb, T] ids, labels [mb, 1, T] next ids. */
    static DataSet randomBatch(int vocab, int mb, int seqLen, long seed) {
        Random r = new Random(seed);
        INDArray ids = Nd4j.create(DataType.FLOAT, mb, seqLen + 1);
        for (int i = 0; i < mb; i++) {
            for (int t = 0; t <= seqLen; t++) {
                ids.putScalar(i, t, r.nextInt(vocab));
            }
        }
        return ShardBatches.nextToken(ids);
    }
}
