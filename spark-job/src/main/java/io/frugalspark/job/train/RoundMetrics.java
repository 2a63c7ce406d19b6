package io.frugalspark.job.train;

import io.frugalspark.optim.StepStats;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One metrics row per round: the train loss (token-weighted over workers), the plan's last lr, rho
 * and T, the re-selections so far, where the round's time went, memory, and the summed per-role
 * statistics.
 */
final class RoundMetrics {
    private RoundMetrics() {}

    /**
     * @param at where the run is after the round (its tokens include this round's {@code roundTokens})
     * @param mergeNanos the driver's time to take the merged results in, after the job
     * @param reselections the optimizer's re-selections so far, from the averaged state
     */
    static Map<String, Object> of(RoundPlan plan, RoundResult result, RunPosition at, long roundTokens, long mergeNanos,
                                  long reselections) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("round", plan.round());
        m.put("step", at.step());
        m.put("tokens", at.tokens());
        m.put("train_loss", trainLoss(result));
        m.put("lr", plan.lr()[plan.steps() - 1]);
        if (plan.rho() != null) {
            m.put("rho", plan.rho()[plan.steps() - 1]);
        }
        m.put("T", plan.updateGap());
        m.put("reselections", reselections);
        putTimes(m, result, roundTokens, mergeNanos);
        putMemory(m, result);
        stats(result).toMap().forEach((k, v) -> m.put("stats." + k, v));
        return m;
    }

    /** The workers' statistics summed in worker order (deterministic: resume and retry stay bit-identical). */
    static StepStats stats(RoundResult result) {
        StepStats stats = new StepStats();
        result.reports().forEach(r -> stats.add(r.stats()));
        return stats;
    }

    /** The round's loss over all workers' counted targets. */
    static double trainLoss(RoundResult result) {
        double sum = result.reports().stream().mapToDouble(WorkerReport::lossSum).sum();
        long targets = result.reports().stream().mapToLong(WorkerReport::targets).sum();
        return sum / Math.max(1, targets);
    }

    /** Compute is the slowest worker's; the rest of the job (collecting, averaging) counts as aggregation. */
    private static void putTimes(Map<String, Object> m, RoundResult result, long roundTokens, long mergeNanos) {
        long compute = result.reports().stream().mapToLong(WorkerReport::computeNanos).max().orElse(0);
        RoundResult.Timings t = result.timings();
        m.put("time_broadcast_ms", t.broadcastNanos() / 1e6);
        m.put("time_compute_ms", compute / 1e6);
        m.put("time_aggregate_ms", (t.jobNanos() - compute + mergeNanos) / 1e6);
        m.put("tokens_per_s", roundTokens / ((t.broadcastNanos() + t.jobNanos() + mergeNanos) / 1e9));
    }

    private static void putMemory(Map<String, Object> m, RoundResult result) {
        m.put("optimizer_state_bytes", result.reports().get(0).stateBytes());
        m.put("driver_heap_bytes", Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory());
        m.put("driver_rss_bytes", org.bytedeco.javacpp.Pointer.physicalBytes());
        m.put("executor_heap_bytes", result.reports().stream().mapToLong(WorkerReport::heapBytes).max().orElse(0));
        m.put("executor_rss_bytes", result.reports().stream().mapToLong(WorkerReport::rssBytes).max().orElse(0));
    }
}
