package io.frugalspark.job.train;

import java.io.Serializable;
import org.apache.spark.TaskContext;

/**
 * Faults a run injects into itself, carried in its spec so that only the run that asked for them
 * sees them (tests and fault drills; production runs use {@link #NONE}).
 *
 * @param failFirstAttemptOfRound the round whose tasks throw on their first attempt, or -1
 * @param nanGradientAtData the step of the data order whose gradient turns NaN on {@code nanGradientWorker}
 *     (a poisoned batch: a rollback that skips it does not meet it again), or -1
 */
public record FaultPlan(long failFirstAttemptOfRound, long nanGradientAtData, int nanGradientWorker) implements Serializable {
    public static final FaultPlan NONE = new FaultPlan(-1, -1, -1);

    public static FaultPlan failFirstAttemptOfRound(long round) {
        return new FaultPlan(round, -1, -1);
    }

    public static FaultPlan nanGradient(long dataStep, int worker) {
        return new FaultPlan(-1, dataStep, worker);
    }

    /** Puts a NaN into the first gradient of the ND4J engine when this plan says so. */
    void afterGradients(long dataStep, int worker, ReplicaEngine engine) {
        if (dataStep == nanGradientAtData && worker == nanGradientWorker && engine instanceof Replica r) {
            r.refs().get(0).grad().putScalar(0, Float.NaN);
        }
    }

    /** Throws in a round task's first attempt when this plan says so. */
    void beforeRound(long round) {
        TaskContext ctx = TaskContext.get();
        if (round == failFirstAttemptOfRound && ctx != null && ctx.attemptNumber() == 0) {
            throw new IllegalStateException("injected failure in round " + round + " (attempt 0)");
        }
    }
}
