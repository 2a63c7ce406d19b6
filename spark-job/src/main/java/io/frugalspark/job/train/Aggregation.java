package io.frugalspark.job.train;

import io.frugalspark.job.config.ConfigError;
import io.frugalspark.optim.state.HostArray;
import io.frugalspark.optim.state.StateCodec;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import scala.Tuple2;

/**
 * Merging what workers send back, by {@link ChunkKey}: parameter and moment chunks are averaged
 * weighted by each worker's counted targets (equal for packed data; with document-mode padding this
 * makes two workers' averaged SGD steps the single-process step on their union batch),
 * the state head is taken from worker 0 (every replica agrees), reports are kept. Pieces of one key
 * are always merged in worker order, so a run is reproducible whatever the task completion order.
 * Two places to do it, with identical results: on the driver after {@code collect} (small models),
 * or on the executors with a shuffle over chunk keys (large models: no task result and no array
 * comes near 2 GB, and the driver receives one averaged copy instead of one per worker).
 */
final class Aggregation {
    /** Chunk size for parameters and moments. */
    static final long CHUNK_BYTES = 256L << 20;
    /** Above this many result bytes per round, "auto" aggregates on the executors. */
    static final long DRIVER_LIMIT = 512L << 20;

    private Aggregation() {}

    /** What one piece carries: encoded arrays, or reports (serialized once, with the piece). */
    sealed interface Payload extends Serializable permits Bytes, Reports {}

    record Bytes(byte[] data) implements Payload {}

    record Reports(List<WorkerReport> reports) implements Payload {}

    /**
     * One worker's payload for one key.
     *
     * @param weight the worker's counted targets in the round: its share in the averages
     */
    record Piece(int worker, long weight, Payload payload) implements Serializable {}

    /** Adds {@code chunks} as one worker's pieces of {@code kind}, indexed from 0. */
    static void emit(int worker, long weight, ChunkKey.Kind kind, List<byte[]> chunks, List<Tuple2<ChunkKey, Piece>> out) {
        for (int k = 0; k < chunks.size(); k++) {
            out.add(new Tuple2<>(new ChunkKey(kind, k), new Piece(worker, weight, new Bytes(chunks.get(k)))));
        }
    }

    /** Adds a state as its head and moment pieces. */
    static void emitState(int worker, long weight, List<byte[]> state, List<Tuple2<ChunkKey, Piece>> out) {
        emit(worker, weight, ChunkKey.Kind.STATE_HEAD, state.subList(0, 1), out);
        emit(worker, weight, ChunkKey.Kind.MOMENTS, state.subList(1, state.size()), out);
    }

    static void emitReport(int worker, WorkerReport report, List<Tuple2<ChunkKey, Piece>> out) {
        out.add(new Tuple2<>(ChunkKey.REPORTS, new Piece(worker, report.targets(), new Reports(List.of(report)))));
    }

    /** "auto", "driver" or "executors" from train.aggregate. */
    static boolean onExecutors(String setting, long bytesPerWorker, int workers) {
        return switch (setting) {
            case "driver" -> false;
            case "executors" -> true;
            case "auto" -> bytesPerWorker * workers > DRIVER_LIMIT;
            default -> throw new ConfigError("train.aggregate: unknown value '" + setting + "' (auto, driver, executors)");
        };
    }

    /** The merged payloads, in key order. */
    static Map<ChunkKey, Payload> run(JavaPairRDD<ChunkKey, Piece> pieces, boolean onExecutors, int partitions) {
        Map<ChunkKey, Payload> out = new TreeMap<>();
        if (onExecutors) {
            Iterator<Tuple2<ChunkKey, Payload>> it = pieces.groupByKey(new HashPartitioner(partitions))
                    .map(kv -> new Tuple2<>(kv._1(), reduce(kv._1(), kv._2()))).toLocalIterator();
            it.forEachRemaining(kv -> out.put(kv._1(), kv._2()));
        } else {
            Map<ChunkKey, List<Piece>> byKey = new TreeMap<>();
            for (Tuple2<ChunkKey, Piece> kv : pieces.collect()) {
                byKey.computeIfAbsent(kv._1(), k -> new ArrayList<>()).add(kv._2());
            }
            byKey.forEach((k, v) -> out.put(k, reduce(k, v)));
        }
        return out;
    }

    static Payload reduce(ChunkKey key, Iterable<Piece> unordered) {
        List<Piece> pieces = new ArrayList<>();
        unordered.forEach(pieces::add);
        pieces.sort(Comparator.comparingInt(Piece::worker));
        return switch (key.kind()) {
            case REPORTS -> new Reports(pieces.stream().flatMap(p -> ((Reports) p.payload()).reports().stream()).toList());
            case STATE_HEAD -> pieces.get(0).payload();
            case PARAMETER -> new Bytes(meanArrays(bytes(pieces), weights(pieces)));
            case MOMENTS -> new Bytes(StateCodec.averageMoments(bytes(pieces), weights(pieces)));
        };
    }

    private static List<byte[]> bytes(List<Piece> pieces) {
        return pieces.stream().map(p -> ((Bytes) p.payload()).data()).toList();
    }

    private static double[] weights(List<Piece> pieces) {
        return pieces.stream().mapToDouble(Piece::weight).toArray();
    }

    /** The position-wise mean of the workers' parameter chunks, in worker order, weighted by their targets. */
    private static byte[] meanArrays(List<byte[]> workers, double[] weights) {
        List<List<HostArray>> replicas = workers.stream().map(StateCodec::decodeArrays).toList();
        List<HostArray> mean = new ArrayList<>();
        for (int i = 0; i < replicas.get(0).size(); i++) {
            int at = i;
            mean.add(HostArray.mean(replicas.stream().map(r -> r.get(at)).toList(), weights));
        }
        return StateCodec.encodeArrays(mean);
    }
}
