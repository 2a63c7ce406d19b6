package io.frugalspark.job.train;

import io.frugalspark.data.Manifest;
import io.frugalspark.optim.ParamRef;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A worker's gradients at a step, without updating: what the driver averages to build svd bases at
 * a re-selection step. The round that follows recomputes the same gradients (same data, same weights).
 */
final class GradientTask implements Function2<Integer, Iterator<Integer>, Iterator<byte[]>> {
    private final RunSpec spec;
    private final Broadcast<byte[]> params;
    private final long step;

    GradientTask(RunSpec spec, Broadcast<byte[]> params, long step) {
        this.spec = spec;
        this.params = params;
        this.step = step;
    }

    @Override
    public Iterator<byte[]> call(Integer worker, Iterator<Integer> ignored) {
        Replica replica = ReplicaPool.get(spec.runId(), worker, spec::newReplica);
        replica.model().setTrainableValues(TensorCodec.decode(params.value()));
        TrainSettings s = spec.settings();
        SequenceSampler sampler = new SequenceSampler(spec.shards(Manifest.TRAIN).numSequences(), s.workers(), worker, s.seed());
        List<int[][]> mbs = new ArrayList<>();
        for (int j = 0; j < s.accumulation(); j++) {
            mbs.add(spec.batch(Manifest.TRAIN, sampler.indices(step, j, s.microBatch(), s.accumulation())));
        }
        replica.accumulateGradients(mbs, spec.padId());
        List<INDArray> grads = replica.refs().stream().map(ParamRef::grad).toList();
        return Collections.singletonList(TensorCodec.encode(grads)).iterator();
    }
}
