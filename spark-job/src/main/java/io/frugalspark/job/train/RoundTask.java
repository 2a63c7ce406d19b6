package io.frugalspark.job.train;

import io.frugalspark.model.LossResult;
import io.frugalspark.optim.StepStats;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.PairFlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import scala.Tuple2;

/**
 * One worker's round: load the broadcast parameters and optimizer state into the executor's
 * replica, run the plan's steps on this worker's data, and emit parameters and state as chunks
 * keyed for {@link Aggregation}, plus a small report.
 */
final class RoundTask implements PairFlatMapFunction<Iterator<Integer>, Integer, Aggregation.Piece> {
    private final Broadcast<RunScope> scope;
    private final Broadcast<RoundInput> input;

    RoundTask(Broadcast<RunScope> scope, Broadcast<RoundInput> input) {
        this.scope = scope;
        this.input = input;
    }

    @Override
    public Iterator<Tuple2<Integer, Aggregation.Piece>> call(Iterator<Integer> workerIds) {
        int worker = workerIds.next();
        RoundInput in = input.value();
        RunScope run = scope.value();
        run.spec().faults().beforeRound(in.plan().round());
        long t0 = System.nanoTime();
        Replica replica = run.replica(worker, in.params());
        replica.optimizer().load(Chunks.toState(in.state()));
        SequenceSampler sampler = run.sampler(worker);
        StepStats stats = new StepStats();
        LossResult loss = new LossResult(0, 0);
        RoundPlan plan = in.plan();
        for (int i = 0; i < plan.steps(); i++) {
            loss = loss.plus(replica.accumulateGradients(run.microBatches(sampler, plan.firstStep() + i), run.spec().padId()));
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

    /** The broadcast of one round: parameter and state chunks, and the plan. */
    record RoundInput(List<byte[]> params, List<byte[]> state, RoundPlan plan) implements java.io.Serializable {}
}
