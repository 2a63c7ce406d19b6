package io.frugalspark.job.train;

import java.io.Serializable;
import org.apache.spark.TaskContext;

/**
 * Faults a run injects into itself, carried in its spec so that only the run that asked for them
 * sees them (tests and fault drills; production runs use {@link #NONE}).
 *
 * @param failFirstAttemptOfRound the round whose tasks throw on their first attempt, or -1
 */
public record FaultPlan(long failFirstAttemptOfRound) implements Serializable {
    public static final FaultPlan NONE = new FaultPlan(-1);

    /** Throws in a round task's first attempt when this plan says so. */
    void beforeRound(long round) {
        TaskContext ctx = TaskContext.get();
        if (round == failFirstAttemptOfRound && ctx != null && ctx.attemptNumber() == 0) {
            throw new IllegalStateException("injected failure in round " + round + " (attempt 0)");
        }
    }
}
