package io.frugalspark.job.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a round (or a gradient job) returns to the driver, merged: parameter chunks in model order,
 * state chunks head first, the workers' reports in worker order, and where the time went (null
 * for a gradient job).
 */
record RoundResult(List<byte[]> params, List<byte[]> state, List<WorkerReport> reports, Timings timings) {
    /** Driver-side wall time of a round: broadcasting, and the Spark job (workers' compute and the merge). */
    record Timings(long broadcastNanos, long jobNanos) {}

    static RoundResult of(Map<ChunkKey, Aggregation.Payload> merged, Timings timings) {
        List<byte[]> params = new ArrayList<>();
        List<byte[]> state = new ArrayList<>();
        List<WorkerReport> reports = List.of();
        for (Map.Entry<ChunkKey, Aggregation.Payload> e : merged.entrySet()) {
            if (e.getValue() instanceof Aggregation.Reports r) {
                reports = r.reports();
            } else {
                byte[] data = ((Aggregation.Bytes) e.getValue()).data();
                (e.getKey().kind() == ChunkKey.Kind.PARAMETER ? params : state).add(data);
            }
        }
        return new RoundResult(params, state, reports, timings);
    }
}
