package io.frugalspark.job.train;

import io.frugalspark.job.config.ConfigError;
import io.frugalspark.optim.state.HostArray;
import io.frugalspark.optim.state.StateCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
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
 * Averaging of what workers send back, keyed by chunk: keys {@code [0, paramChunks)} are parameter
 * chunks (averaged), key {@code paramChunks} the optimizer state's selections and scalars (taken from
 * worker 0: every replica agrees), higher keys moment chunks (averaged), {@link #REPORTS} the
 * workers' small reports (kept). Pieces of one key are always added in worker order, so a run is
 * reproducible whatever the task completion order. Two places to do it, with identical results:
 * on the driver after {@code collect} (small models), or on the executors with a shuffle over chunk
 * ids (large models: no task result and no array comes near 2 GB, and the driver receives one
 * averaged copy instead of one per worker).
 */
final class Aggregation implements Serializable {
    static final int REPORTS = -1;
    /** Chunk size for parameters and moments. */
    static final long CHUNK_BYTES = 256L << 20;
    /** Above this many result bytes per round, "auto" aggregates on the executors. */
    static final long DRIVER_LIMIT = 512L << 20;

    /** One worker's bytes for one key. */
    record Piece(int worker, byte[] data) implements Serializable {}

    private final int paramChunks;

    Aggregation(int paramChunks) {
        this.paramChunks = paramChunks;
    }

    /** Adds {@code chunks} as one worker's pieces under keys {@code firstKey, firstKey + 1, ...}. */
    static void emit(int worker, int firstKey, List<byte[]> chunks, List<Tuple2<Integer, Piece>> out) {
        for (int k = 0; k < chunks.size(); k++) {
            out.add(new Tuple2<>(firstKey + k, new Piece(worker, chunks.get(k))));
        }
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

    /** The averaged chunks by key. */
    Map<Integer, byte[]> run(JavaPairRDD<Integer, Piece> pieces, boolean onExecutors, int partitions) {
        Map<Integer, byte[]> out = new TreeMap<>();
        if (onExecutors) {
            Iterator<Tuple2<Integer, byte[]>> it = pieces.groupByKey(new HashPartitioner(partitions))
                    .map(kv -> new Tuple2<>(kv._1(), reduce(kv._1(), kv._2()))).toLocalIterator();
            it.forEachRemaining(kv -> out.put(kv._1(), kv._2()));
        } else {
            Map<Integer, List<Piece>> byKey = new TreeMap<>();
            for (Tuple2<Integer, Piece> kv : pieces.collect()) {
                byKey.computeIfAbsent(kv._1(), k -> new ArrayList<>()).add(kv._2());
            }
            byKey.forEach((k, v) -> out.put(k, reduce(k, v)));
        }
        return out;
    }

    byte[] reduce(int key, Iterable<Piece> unordered) {
        List<Piece> pieces = new ArrayList<>();
        unordered.forEach(pieces::add);
        pieces.sort(Comparator.comparingInt(Piece::worker));
        if (key == REPORTS) {
            List<byte[]> all = pieces.stream().map(Piece::data).toList();
            return serialize(new ArrayList<>(all));
        }
        if (key == paramChunks) {
            return pieces.get(0).data();
        }
        List<byte[]> data = pieces.stream().map(Piece::data).toList();
        return key < paramChunks ? meanArrays(data) : StateCodec.averageMoments(data);
    }

    /** The position-wise mean of the workers' parameter chunks, in worker order. */
    private static byte[] meanArrays(List<byte[]> workers) {
        List<List<HostArray>> replicas = workers.stream().map(StateCodec::decodeArrays).toList();
        List<HostArray> mean = new ArrayList<>();
        for (int i = 0; i < replicas.get(0).size(); i++) {
            int at = i;
            mean.add(HostArray.mean(replicas.stream().map(r -> r.get(at)).toList()));
        }
        return StateCodec.encodeArrays(mean);
    }

    /** Parameter chunks of an aggregated map. */
    List<byte[]> params(Map<Integer, byte[]> merged) {
        return new ArrayList<>(merged.entrySet().stream().filter(e -> e.getKey() >= 0 && e.getKey() < paramChunks)
                .map(Map.Entry::getValue).toList());
    }

    /** State chunks (head first) of an aggregated map. */
    List<byte[]> state(Map<Integer, byte[]> merged) {
        return new ArrayList<>(merged.entrySet().stream().filter(e -> e.getKey() >= paramChunks)
                .map(Map.Entry::getValue).toList());
    }

    static byte[] serialize(Serializable o) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    @SuppressWarnings("unchecked")
    static <T> T deserialize(byte[] data) {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(data))) {
            return (T) in.readObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
