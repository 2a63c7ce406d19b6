package io.frugalspark.job.train;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.PairFlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import scala.Tuple2;

/**
 * A worker's gradients at a step, without updating, as parameter-shaped chunks: what the driver
 * averages to build svd bases at a re-selection step. The round that follows recomputes the same
 * gradients (same data, same weights).
 */
final class GradientTask implements PairFlatMapFunction<Iterator<Integer>, ChunkKey, Aggregation.Piece> {
    private final Broadcast<RunScope> scope;
    private final Broadcast<List<byte[]>> params;
    private final long step;

    GradientTask(Broadcast<RunScope> scope, Broadcast<List<byte[]>> params, long step) {
        this.scope = scope;
        this.params = params;
        this.step = step;
    }

    @Override
    public Iterator<Tuple2<ChunkKey, Aggregation.Piece>> call(Iterator<Integer> workerIds) {
        int worker = workerIds.next();
        RunScope run = scope.value();
        ReplicaEngine engine = run.engine(worker, params.value());
        long targets = engine.accumulateGradients(run.microBatches(run.sampler(worker), step), run.spec().padId()).count();
        List<Tuple2<ChunkKey, Aggregation.Piece>> out = new ArrayList<>();
        Aggregation.emit(worker, targets, ChunkKey.Kind.PARAMETER, engine.exportGradients(Aggregation.CHUNK_BYTES), out);
        return out.iterator();
    }
}
