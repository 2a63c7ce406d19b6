package io.frugalspark.job.train;

import io.frugalspark.data.Manifest;
import io.frugalspark.data.shard.TokenShards;
import io.frugalspark.model.LossResult;
import java.util.Collections;
import java.util.Iterator;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;

/**
 * One worker's share of an evaluation: validation sequences {@code i % W == w} in order, until the
 * worker's share of the token budget is reached. The same sequences every time, so evaluations
 * over a run are comparable.
 */
final class EvalTask implements Function2<Integer, Iterator<Integer>, Iterator<double[]>> {
    private final Broadcast<RunScope> scope;
    private final Broadcast<java.util.List<byte[]>> params;

    EvalTask(Broadcast<RunScope> scope, Broadcast<java.util.List<byte[]>> params) {
        this.scope = scope;
        this.params = params;
    }

    @Override
    public Iterator<double[]> call(Integer worker, Iterator<Integer> ignored) {
        RunScope run = scope.value();
        LossResult r = evaluate(run, run.engine(worker, params.value()), worker);
        return Collections.singletonList(new double[] {r.sum(), r.count()}).iterator();
    }

    /** Token-weighted loss of one worker's share (also used by the single-process path). */
    static LossResult evaluate(RunScope run, ReplicaEngine engine, int worker) {
        TrainSettings s = run.spec().settings();
        TokenShards val = run.shards(Manifest.VALIDATION);
        long budget = Math.max(1, s.eval().tokens() / s.loop().workers());
        LossResult total = new LossResult(0, 0);
        long next = worker;
        while (total.count() < budget && next < val.numSequences()) {
            int n = (int) Math.min(s.loop().microBatch(), (val.numSequences() - next + s.loop().workers() - 1) / s.loop().workers());
            long[] idx = new long[n];
            for (int q = 0; q < n; q++, next += s.loop().workers()) {
                idx[q] = next;
            }
            total = total.plus(engine.loss(run.batch(Manifest.VALIDATION, idx), run.spec().padId()));
        }
        return total;
    }
}
