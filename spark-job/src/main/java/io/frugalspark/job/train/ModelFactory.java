package io.frugalspark.job.train;

import io.frugalspark.job.config.ConfigError;
import io.frugalspark.model.LlamaConfig;

/** The model configuration of a run: the preset, with the data's vocabulary and sequence length. */
final class ModelFactory {
    private ModelFactory() {}

    static LlamaConfig config(TrainSettings s, int vocabSize, int seqLen) {
        try {
            return LlamaConfig.preset(s.model().preset(), vocabSize, seqLen).toBuilder()
                    .sltrain(s.model().sltrain())
                    .slSeed(s.loop().seed())
                    .recomputeActivations(s.model().recompute())
                    .build();
        } catch (IllegalArgumentException e) {
            throw new ConfigError("model.preset: " + e.getMessage());
        }
    }
}
