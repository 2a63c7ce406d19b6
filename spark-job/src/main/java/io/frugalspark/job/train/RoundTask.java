package io.frugalspark.job.train;

import io.frugalspark.model.LossResult;
import io.frugalspark.optim.StepStats;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.PairFlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import scala.Tuple2;

/**
 * One worker's round: load the broadcast parameters and optimizer state into the executor's
 * replica, run the plan's steps on this worker's data, and emit parameters and state as chunks
 * keyed for {@link Aggregation}, plus a small report.
 */
final class RoundTask implements PairFlatMapFunction<Iterator<Integer>, Integer, Aggregation.Piece> {
    /** Test hook: fail the first attempt of this round's tasks (a system property, so only tests set it). */
    static final String FAIL_ROUND_PROPERTY = "frugal.test.failFirstAttemptOfRound";
    private final RunSpec spec;
    private final Broadcast<RoundInput> input;

    RoundTask(RunSpec spec, Broadcast<RoundInput> input) {
        this.spec = spec;
        this.input = input;
    }

    @Override
    public Iterator<Tuple2<Integer, Aggregation.Piece>> call(Iterator<Integer> workerIds) {
        int worker = workerIds.next();
        RoundInput in = input.value();
        injectFailureForTests(in.plan().round());
        long t0 = System.nanoTime();
        Replica replica = spec.replica(worker, in.params());
        replica.optimizer().load(Chunks.toState(in.state()));
        SequenceSampler sampler = spec.sampler(worker);
        StepStats stats = new StepStats();
        LossResult loss = new LossResult(0, 0);
        RoundPlan plan = in.plan();
        for (int i = 0; i < plan.steps(); i++) {
            loss = loss.plus(replica.accumulateGradients(spec.microBatches(sampler, plan.firstStep() + i), spec.padId()));
            Steps.prepare(replica.optimizer(), plan, i);
            stats.add(replica.step(plan.lr()[i]));
        }
        WorkerReport report = new WorkerReport(worker, stats, loss.sum(), loss.count(), System.nanoTime() - t0,
                replica.optimizer().stateBytes(), Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory(),
                org.bytedeco.javacpp.Pointer.physicalBytes());
        List<Tuple2<Integer, Aggregation.Piece>> out = new ArrayList<>();
        out.add(new Tuple2<>(Aggregation.REPORTS, new Aggregation.Piece(worker, Aggregation.serialize(report))));
        List<byte[]> params = Chunks.ofTensors(replica.model().trainableValues(), Aggregation.CHUNK_BYTES);
        List<byte[]> state = Chunks.ofState(replica.optimizer().state(), Aggregation.CHUNK_BYTES);
        Aggregation.emit(worker, 0, params, out);
        Aggregation.emit(worker, params.size(), state, out);
        return out.iterator();
    }

    private static void injectFailureForTests(long round) {
        String fail = System.getProperty(FAIL_ROUND_PROPERTY);
        TaskContext ctx = TaskContext.get();
        if (fail != null && Long.parseLong(fail) == round && ctx != null && ctx.attemptNumber() == 0) {
            throw new IllegalStateException("injected failure in round " + round + " (attempt 0)");
        }
    }

    /** The broadcast of one round: parameter and state chunks, and the plan. */
    record RoundInput(List<byte[]> params, List<byte[]> state, RoundPlan plan) implements java.io.Serializable {}
}
