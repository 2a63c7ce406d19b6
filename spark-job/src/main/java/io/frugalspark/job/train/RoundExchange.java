package io.frugalspark.job.train;

import io.frugalspark.model.LossResult;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * The driver's side of a run's executor jobs, one Spark job each: a round (broadcast parameters,
 * state and plan; every worker's steps; results merged in worker order), the averaged gradients a
 * driver-built selection needs, an evaluation, and the release of the run's engines. Broadcasts
 * live for one job.
 */
final class RoundExchange {
    private final JavaSparkContext sc;
    private final Broadcast<RunScope> scope;
    private final JavaRDD<Integer> workers;
    private final String aggregate;
    private final int workerCount;

    RoundExchange(JavaSparkContext sc, Broadcast<RunScope> scope) {
        TrainSettings s = scope.value().spec().settings();
        this.sc = sc;
        this.scope = scope;
        this.workerCount = s.loop().workers();
        this.aggregate = s.loop().aggregate();
        this.workers = sc.parallelize(IntStream.range(0, workerCount).boxed().toList(), workerCount);
    }

    RoundResult round(List<byte[]> params, List<byte[]> state, RoundPlan plan) {
        long t0 = System.nanoTime();
        Broadcast<RoundTask.RoundInput> input = sc.broadcast(new RoundTask.RoundInput(params, state, plan));
        long t1 = System.nanoTime();
        sc.setJobDescription("frugal round " + plan.round() + ": steps " + plan.firstStep() + "-" + (plan.endStep() - 1));
        try {
            var merged = Aggregation.run(workers.mapPartitionsToPair(new RoundTask(scope, input)), onExecutors(params), workerCount);
            return RoundResult.of(merged, new RoundResult.Timings(t1 - t0, System.nanoTime() - t1));
        } finally {
            input.destroy();
        }
    }

    /** The workers' gradients at {@code step}, averaged, as parameter-shaped chunks. */
    List<byte[]> gradients(List<byte[]> params, long step) {
        sc.setJobDescription("frugal selection gradients at step " + step);
        Broadcast<List<byte[]>> bc = sc.broadcast(params);
        try {
            return RoundResult.of(Aggregation.run(workers.mapPartitionsToPair(new GradientTask(scope, bc, step)),
                    onExecutors(params), workerCount), null).params();
        } finally {
            bc.destroy();
        }
    }

    /** Token-weighted validation loss over all workers' shares. */
    LossResult evaluate(List<byte[]> params, long step) {
        sc.setJobDescription("frugal eval at step " + step);
        Broadcast<List<byte[]>> bc = sc.broadcast(params);
        try {
            LossResult total = new LossResult(0, 0);
            for (double[] r : workers.mapPartitionsWithIndex(new EvalTask(scope, bc), false).collect()) {
                total = total.plus(new LossResult(r[0], (long) r[1]));
            }
            return total;
        } finally {
            bc.destroy();
        }
    }

    /** Frees the run's engines on every executor; later work (an evaluation) builds them again. */
    void release(String runId) {
        Broadcast<RunScope> run = scope;
        sc.setJobDescription("frugal release of run " + runId);
        workers.foreach(w -> run.value().release());
    }

    /** Where to average: train.aggregate, with "auto" judged by what every worker sends back (parameters and two moments). */
    private boolean onExecutors(List<byte[]> params) {
        long bytes = params.stream().mapToLong(c -> c.length).sum();
        return Aggregation.onExecutors(aggregate, 3 * bytes, workerCount);
    }
}
