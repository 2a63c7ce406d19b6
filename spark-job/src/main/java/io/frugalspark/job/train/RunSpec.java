package io.frugalspark.job.train;

import io.frugalspark.data.Manifest;
import io.frugalspark.model.LlamaConfig;
import io.frugalspark.model.LlamaModel;
import java.io.Serializable;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Everything an executor needs to build the same replica and data view as the driver: the settings,
 * the manifest facts (vocabulary, sequence length, pad id), a run id and the faults the run injects.
 */
public record RunSpec(String runId, TrainSettings settings, int vocabSize, int seqLen, int padId, FaultPlan faults)
        implements Serializable {

    public static RunSpec of(String runId, TrainSettings s, Manifest m, FaultPlan faults) {
        return new RunSpec(runId, s, m.vocabSize(), m.seqLen(), m.padId(), faults);
    }

    public LlamaConfig modelConfig() {
        return ModelFactory.config(settings, vocabSize, seqLen);
    }

    /** The engine a worker runs on: the ND4J replica (the CUDA engine plugs in here). */
    public ReplicaEngine newEngine() {
        return newReplica();
    }

    /** A fresh ND4J replica: the model initialised from the run seed and the configured optimizer. */
    public Replica newReplica() {
        LlamaModel model = LlamaModel.init(modelConfig(), settings.loop().seed(), DataType.FLOAT);
        return new Replica(model, OptimizerFactory.create(settings));
    }
}
