package io.frugalspark.job.train;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.frugalspark.job.config.ConfigError;

/**
 * Where every worker's data stands at a checkpoint: the sampler's step, and what defines each
 * worker's sequence order (train.seed, train.workers and the training shards' digest). Fields
 * absent from older checkpoints are null and not checked.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record DataCursor(String kind, long step, Long seed, Integer workers, @JsonProperty("train_data") String trainData) {
    static DataCursor of(long step, TrainSettings s, String trainData) {
        return new DataCursor("sampler", step, s.loop().seed(), s.loop().workers(), trainData);
    }

    /**
     * Refuses to continue this cursor in a run of {@code s} over the training data {@code trainData},
     * naming the key that changed, unless train.reshard is set.
     */
    void checkResumableIn(TrainSettings s, String trainData, Object checkpoint) {
        if (s.loop().reshard()) {
            return;
        }
        if (this.trainData != null && !this.trainData.equals(trainData)) {
            throw new ConfigError("data.output: checkpoint " + checkpoint + " was trained on other shards than " + s.tokensDir()
                    + " holds now (train split digest " + this.trainData + ", now " + trainData + "). Set train.reshard=true to resume anyway");
        }
        refuseChange("workers", workers, s.loop().workers(), checkpoint);
        refuseChange("seed", seed, s.loop().seed(), checkpoint);
    }

    private void refuseChange(String key, Number was, Number is, Object checkpoint) {
        if (was != null && was.longValue() != is.longValue()) {
            throw new ConfigError("train." + key + ": checkpoint " + checkpoint + " was written with " + was
                    + ", this run has " + is + "; every worker's sequence order depends on it. Set train.reshard=true"
                    + " to resume anyway (the data each worker reads changes from step " + step + " on)");
        }
    }
}
