package io.frugalspark.job.train;

import io.frugalspark.data.Manifest;
import io.frugalspark.model.LossResult;
import io.frugalspark.optim.OptimizerState;
import io.frugalspark.optim.StepStats;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;

/**
 * One worker's round: load the broadcast parameters and optimizer state into the executor's
 * replica, run the plan's steps on this worker's data, send back parameters, state and sums.
 */
final class RoundTask implements Function2<Integer, Iterator<Integer>, Iterator<WorkerResult>> {
    /** Test hook: fail the first attempt of this round's tasks (a system property, so only tests set it). */
    static final String FAIL_ROUND_PROPERTY = "frugal.test.failFirstAttemptOfRound";
    private final RunSpec spec;
    private final Broadcast<RoundInput> input;

    RoundTask(RunSpec spec, Broadcast<RoundInput> input) {
        this.spec = spec;
        this.input = input;
    }

    @Override
    public Iterator<WorkerResult> call(Integer worker, Iterator<Integer> ignored) {
        RoundInput in = input.value();
        injectFailureForTests(in.plan().round());
        long t0 = System.nanoTime();
        Replica replica = ReplicaPool.get(spec.runId(), worker, spec::newReplica);
        replica.model().setTrainableValues(TensorCodec.decode(in.params()));
        replica.optimizer().load(OptimizerState.fromBytes(in.optimizerState()));
        TrainSettings s = spec.settings();
        SequenceSampler sampler = new SequenceSampler(spec.shards(Manifest.TRAIN).numSequences(), s.workers(), worker, s.seed());
        StepStats stats = new StepStats();
        LossResult loss = new LossResult(0, 0);
        RoundPlan plan = in.plan();
        for (int i = 0; i < plan.steps(); i++) {
            long step = plan.firstStep() + i;
            loss = loss.plus(replica.accumulateGradients(microBatches(sampler, step), spec.padId()));
            Steps.prepare(replica.optimizer(), plan, i);
            stats.add(replica.step(plan.lr()[i]));
        }
        WorkerResult r = new WorkerResult(worker, TensorCodec.encode(replica.model().trainableValues()),
                replica.optimizer().state().toBytes(), stats, loss.sum(), loss.count(), System.nanoTime() - t0,
                replica.optimizer().stateBytes(), Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory(),
                org.bytedeco.javacpp.Pointer.totalBytes());
        return Collections.singletonList(r).iterator();
    }

    private List<int[][]> microBatches(SequenceSampler sampler, long step) {
        TrainSettings s = spec.settings();
        List<int[][]> out = new ArrayList<>(s.accumulation());
        for (int j = 0; j < s.accumulation(); j++) {
            out.add(spec.batch(Manifest.TRAIN, sampler.indices(step, j, s.microBatch(), s.accumulation())));
        }
        return out;
    }

    private static void injectFailureForTests(long round) {
        String fail = System.getProperty(FAIL_ROUND_PROPERTY);
        TaskContext ctx = TaskContext.get();
        if (fail != null && Long.parseLong(fail) == round && ctx != null && ctx.attemptNumber() == 0) {
            throw new IllegalStateException("injected failure in round " + round + " (attempt 0)");
        }
    }

    /** The broadcast of one round. */
    record RoundInput(byte[] params, byte[] optimizerState, RoundPlan plan) implements java.io.Serializable {}
}
