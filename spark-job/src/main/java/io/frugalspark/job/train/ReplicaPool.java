package io.frugalspark.job.train;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Executor-side reuse of replicas across rounds: building a model allocates all its buffers, so an
 * executor keeps one replica per (run, worker) and only loads the broadcast parameters and state
 * into it each round. A retried task reloads everything from the broadcast, so reuse is safe.
 */
final class ReplicaPool {
    private static final Map<String, Replica> POOL = new HashMap<>();

    private ReplicaPool() {}

    static synchronized Replica get(String runId, int worker, Supplier<Replica> create) {
        String key = runId + "/" + worker;
        Replica r = POOL.get(key);
        if (r == null) {
            POOL.entrySet().removeIf(e -> {
                boolean stale = !e.getKey().startsWith(runId + "/");
                if (stale) {
                    e.getValue().close();
                }
                return stale;
            });
            r = create.get();
            POOL.put(key, r);
        }
        return r;
    }
}
