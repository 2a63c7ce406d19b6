package io.frugalspark.job.train;

/**
 * Where a run stands between rounds: the steps and tokens done, the next round's number, and the
 * validation loss it started from (what a checkpoint records and a resume continues).
 */
record RunPosition(long step, long tokens, long round, double initialValLoss) {
    static final RunPosition START = new RunPosition(0, 0, 0, Double.NaN);

    RunPosition started(double initialValLoss) {
        return new RunPosition(step, tokens, round, initialValLoss);
    }

    /** After {@code plan} ran over {@code planTokens} tokens. */
    RunPosition after(RoundPlan plan, long planTokens) {
        return new RunPosition(plan.endStep(), tokens + planTokens, plan.round() + 1, initialValLoss);
    }
}
