package io.frugalspark.job.train;

import io.frugalspark.data.Manifest;
import io.frugalspark.data.shard.TokenShards;
import io.frugalspark.model.LlamaConfig;
import io.frugalspark.model.LlamaModel;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Everything an executor needs to build the same replica and data view as the driver: the settings
 * and the manifest facts (vocabulary, sequence length, pad id), plus a run id for replica reuse.
 */
public record RunSpec(String runId, TrainSettings settings, int vocabSize, int seqLen, int padId) implements Serializable {
    private static final Map<String, TokenShards> SHARDS = new HashMap<>();

    public static RunSpec of(String runId, TrainSettings s, Manifest m) {
        return new RunSpec(runId, s, m.vocabSize(), m.seqLen(), m.padId());
    }

    public LlamaConfig modelConfig() {
        return ModelFactory.config(settings, vocabSize, seqLen);
    }

    /** A fresh replica: the model initialised from the run seed and the configured optimizer. */
    public Replica newReplica() {
        LlamaModel model = LlamaModel.init(modelConfig(), settings.seed(), DataType.FLOAT);
        return new Replica(model, OptimizerFactory.create(settings));
    }

    /** This executor's replica for {@code worker}, holding the broadcast parameters. */
    public Replica replica(int worker, List<byte[]> params) {
        Replica r = ReplicaPool.get(runId, worker, this::newReplica);
        r.model().setTrainableValues(Chunks.toTensors(params));
        return r;
    }

    /** Which training sequences {@code worker} reads at each step. */
    public SequenceSampler sampler(int worker) {
        return new SequenceSampler(shards(Manifest.TRAIN).numSequences(), settings.workers(), worker, settings.seed());
    }

    /** The split's sequences, loaded once per JVM (executor) and shared by its tasks. */
    public TokenShards shards(String split) {
        synchronized (SHARDS) {
            return SHARDS.computeIfAbsent(settings.tokensDir() + "#" + split, k -> TokenShards.load(settings.tokensDir(), split));
        }
    }

    /** The micro-batches of one optimizer step on one worker. */
    public List<int[][]> microBatches(SequenceSampler sampler, long step) {
        List<int[][]> out = new ArrayList<>(settings.accumulation());
        for (int j = 0; j < settings.accumulation(); j++) {
            out.add(batch(Manifest.TRAIN, sampler.indices(step, j, settings.microBatch(), settings.accumulation())));
        }
        return out;
    }

    /** Rows of token ids for the given global sequence indices. */
    public int[][] batch(String split, long[] indices) {
        TokenShards data = shards(split);
        int[][] rows = new int[indices.length][];
        for (int i = 0; i < indices.length; i++) {
            rows[i] = data.sequence(indices[i]);
        }
        return rows;
    }
}
