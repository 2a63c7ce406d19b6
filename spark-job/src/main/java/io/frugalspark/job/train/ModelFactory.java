package io.frugalspark.job.train;

import io.frugalspark.job.config.ConfigError;
import io.frugalspark.model.LlamaConfig;

/** The model configuration of a run: the preset, with the data's vocabulary and sequence length. */
final class ModelFactory {
    private ModelFactory() {}

    static LlamaConfig config(TrainSettings s, int vocabSize, int seqLen) {
        try {
            return LlamaConfig.preset(s.modelPreset(), vocabSize, seqLen).toBuilder()
                    .sltrain(s.sltrain())
                    .slSeed(s.seed())
                    .recomputeActivations(s.recompute())
                    .build();
        } catch (IllegalArgumentException e) {
            throw new ConfigError("model.preset: " + e.getMessage());
        }
    }
}
