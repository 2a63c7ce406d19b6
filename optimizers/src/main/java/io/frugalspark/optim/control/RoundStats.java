package io.frugalspark.optim.control;

import io.frugalspark.optim.TensorStats;

/**
 * What the driver knows after a round, as its controllers read it.
 *
 * @param end steps done after the round (the next round's first step, 0-based)
 * @param steps steps in the round
 * @param sinceReselection the projectable group's step counter after the round: steps since the last
 *     re-selection (at most {@code steps} when one fell inside the round, equal when at its first step)
 * @param stats the round's per-tensor statistics, summed over its steps and, in worker order, its workers
 */
public record RoundStats(long end, int steps, long sinceReselection, TensorStats stats) {}
