package io.frugalspark.job.train;

import io.frugalspark.optim.StepStats;
import java.io.Serializable;

/** What one worker sends back after a round: its parameters and state, loss sums and statistics. */
public record WorkerResult(int worker, byte[] params, byte[] optimizerState, StepStats stats,
                           double lossSum, long targets, long computeNanos, long stateBytes,
                           long heapBytes, long offHeapBytes) implements Serializable {}
