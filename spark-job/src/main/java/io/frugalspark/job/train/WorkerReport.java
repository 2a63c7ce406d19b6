package io.frugalspark.job.train;

import io.frugalspark.optim.StepStats;
import java.io.Serializable;

/**
 * A worker's small report of one round: loss sums, statistics, timing and memory (JVM heap in use,
 * and the process's resident memory, which includes ND4J's native arrays).
 *
 * @param divergence what stopped the worker's round early (a non-finite loss, gradient or parameter), or null
 */
public record WorkerReport(int worker, StepStats stats, double lossSum, long targets, long computeNanos,
                           long stateBytes, long heapBytes, long rssBytes, Divergence divergence) implements Serializable {}
