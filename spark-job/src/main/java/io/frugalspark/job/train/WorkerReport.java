package io.frugalspark.job.train;

import io.frugalspark.optim.StepStats;
import java.io.Serializable;

/** A worker's small report of one round: loss sums, statistics, timing and memory. */
public record WorkerReport(int worker, StepStats stats, double lossSum, long targets, long computeNanos,
                           long stateBytes, long heapBytes, long offHeapBytes) implements Serializable {}
