package io.frugalspark.job.train;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * The trainer's part of a checkpoint ({@code trainer.json}): where the run stands, the data cursor
 * and the controllers' state. The model and the optimizer state are files of their own.
 *
 * @param dataCursor null in checkpoints written before resumes were checked
 * @param guard the divergence guard's rollbacks; null in checkpoints written before the guard
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
record TrainCheckpoint(
        long step,
        long tokens,
        long round,
        @JsonProperty("initial_val_loss") double initialValLoss,
        @JsonProperty("data_cursor") DataCursor dataCursor,
        Map<String, Object> controllers,
        DivergenceGuard.State guard) {

    static TrainCheckpoint of(RunPosition at, DataCursor cursor, Map<String, Object> controllers, DivergenceGuard.State guard) {
        return new TrainCheckpoint(at.step(), at.tokens(), at.round(), at.initialValLoss(), cursor, controllers, guard);
    }

    RunPosition position() {
        return new RunPosition(step, tokens, round, initialValLoss);
    }
}
