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
 * engine, run the plan's steps on this worker's data, and emit parameters and state as chunks
 * keyed for {@link Aggregation}, plus a small report.
 */
final class RoundTask implements PairFlatMapFunction<Iterator<Integer>, ChunkKey, Aggregation.Piece> {
    private final Broadcast<RunScope> scope;
    private final Broadcast<RoundInput> input;

    RoundTask(Broadcast<RunScope> scope, Broadcast<RoundInput> input) {
        this.scope = scope;
        this.input = input;
    }

    @Override
    public Iterator<Tuple2<ChunkKey, Aggregation.Piece>> call(Iterator<Integer> workerIds) {
        int worker = workerIds.next();
        RoundInput in = input.value();
        RunScope run = scope.value();
        run.spec().faults().beforeRound(in.plan().round());
        long t0 = System.nanoTime();
        ReplicaEngine engine = run.engine(worker, in.params());
        engine.loadState(in.state());
        SequenceSampler sampler = run.sampler(worker);
        StepStats stats = new StepStats();
        LossResult loss = new LossResult(0, 0);
        RoundPlan plan = in.plan();
        Divergence divergence = null;
        for (int i = 0; i < plan.steps() && divergence == null; i++) {
            long step = plan.firstStep() + i;
            long dataStep = step + plan.dataOffset();
            LossResult r = engine.accumulateGradients(run.microBatches(sampler, dataStep), run.spec().padId());
            run.spec().faults().afterGradients(dataStep, worker, engine);
            loss = loss.plus(r);
            divergence = Double.isFinite(r.sum()) ? null : new Divergence(step, worker, "non-finite loss", null, r.mean());
            if (divergence == null) {
                StepStats st = engine.step(plan, i);
                stats.add(st);
                divergence = nonFinite(st, engine, step, worker);
            }
        }
        WorkerReport report = new WorkerReport(worker, stats, loss.sum(), loss.count(), System.nanoTime() - t0,
                engine.stateBytes(), Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory(),
                org.bytedeco.javacpp.Pointer.physicalBytes(), divergence);
        List<Tuple2<ChunkKey, Aggregation.Piece>> out = new ArrayList<>();
        Aggregation.emitReport(worker, report, out);
        Aggregation.emit(worker, loss.count(), ChunkKey.Kind.PARAMETER, engine.exportParameters(Aggregation.CHUNK_BYTES), out);
        Aggregation.emitState(worker, loss.count(), engine.exportState(Aggregation.CHUNK_BYTES), out);
        return out.iterator();
    }

    /**
     * A NaN or infinity in any gradient or update makes the step's statistics (sums of squares)
     * non-finite, so only then are the tensors searched for the first culprit. A diverged worker stops
     * its round: the driver discards it.
     */
    private static Divergence nonFinite(StepStats st, ReplicaEngine engine, long step, int worker) {
        if (st.toMap().values().stream().allMatch(Double::isFinite)) {
            return null;
        }
        ReplicaEngine.NonFinite culprit = engine.firstNonFinite();
        return culprit == null ? new Divergence(step, worker, "non-finite update", null, Double.NaN)
                : new Divergence(step, worker, "non-finite " + culprit.kind(), culprit.tensor(), Double.NaN);
    }

    /** The broadcast of one round: parameter and state chunks, and the plan. */
    record RoundInput(List<byte[]> params, List<byte[]> state, RoundPlan plan) implements java.io.Serializable {}
}
