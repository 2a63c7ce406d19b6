package io.frugalspark.job.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.frugalspark.job.io.CheckpointStore;
import io.frugalspark.job.train.TrainSettings.CheckpointSettings;
import io.frugalspark.optim.state.StateCodec;
import io.frugalspark.optim.state.TensorRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A run's checkpoints in its {@link CheckpointStore}: the driver replica's parameters
 * ({@code model.safetensors}), the optimizer state's chunks ({@code optimizer.bin}), the trainer's
 * {@link TrainCheckpoint} ({@code trainer.json}) and the run's config ({@code config.conf}).
 */
final class Checkpoints {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final CheckpointStore store;
    private final String config;
    private final TrainSettings settings;
    private final String trainData;
    private final Replica driver;
    private final Controllers controllers;
    private final DivergenceGuard guard;

    /** What a checkpoint gives back besides what it loads into the driver's replica, the controllers and the guard. */
    record Restored(Path path, RunPosition position, List<byte[]> state) {}

    /**
     * The checkpoints of a run of {@code settings} (its rendered config beside them) over the training
     * data {@code trainData}: the driver's parameters, the optimizer state, the controllers' and the
     * guard's state.
     */
    Checkpoints(CheckpointStore store, String renderedConfig, TrainSettings settings, String trainData, Replica driver,
                Controllers controllers, DivergenceGuard guard) {
        this.store = store;
        this.config = renderedConfig;
        this.settings = settings;
        this.trainData = trainData;
        this.driver = driver;
        this.controllers = controllers;
        this.guard = guard;
    }

    /** The checkpoints in the run's checkpoint.dir, warnings (a skipped corrupt checkpoint) to {@code warnings}. */
    static Checkpoints open(Configuration hadoop, Consumer<String> warnings, String renderedConfig, TrainSettings settings,
                            String trainData, Replica driver, Controllers controllers, DivergenceGuard guard) {
        CheckpointSettings c = settings.checkpoint();
        try {
            return new Checkpoints(new CheckpointStore(c.dir(), hadoop, c.keep(), warnings), renderedConfig, settings, trainData,
                    driver, controllers, guard);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open checkpoint.dir " + c.dir() + ": " + e.getMessage(), e);
        }
    }

    /** Writes and commits a checkpoint at {@code at}; returns its directory. */
    Path write(RunPosition at, List<byte[]> state) throws IOException {
        TrainCheckpoint record = TrainCheckpoint.of(at, DataCursor.of(at.step(), settings, trainData), controllers.state(), guard.state());
        requireFinite(driver, state, record.step());
        CheckpointStore.Writer w = store.begin(record.step());
        java.nio.file.Path local = Files.createTempFile("frugal-params", ".safetensors");
        try {
            driver.model().saveParameters(local, DataType.FLOAT);
            w.copyFromLocal(local, "model.safetensors");
        } finally {
            Files.deleteIfExists(local);
        }
        try (OutputStream out = w.create("optimizer.bin")) {
            StateCodec.writeChunks(state, out);
        }
        try (OutputStream out = w.create("trainer.json")) {
            out.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(record));
        }
        try (OutputStream out = w.create("config.conf")) {
            out.write(config.getBytes(StandardCharsets.UTF_8));
        }
        return w.commit();
    }

    /** A checkpoint is something to roll back to: never one with a NaN or an infinity in the model or the state. */
    private static void requireFinite(Replica driver, List<byte[]> state, long step) {
        ReplicaEngine.NonFinite p = driver.firstNonFiniteParameter();
        if (p != null) {
            throw new IllegalStateException("not committing the checkpoint of step " + step + ": parameter " + p.tensor()
                    + " is not finite");
        }
        for (byte[] moments : state.subList(1, state.size())) {
            for (TensorRecord t : StateCodec.decodeChunks(List.of(state.get(0), moments)).tensors()) {
                t.moments().forEach((name, a) -> {
                    if (!a.allFinite()) {
                        throw new IllegalStateException("not committing the checkpoint of step " + step + ": moment " + name
                                + " of " + t.name() + " is not finite");
                    }
                });
            }
        }
    }

    /**
     * Loads a verified committed checkpoint ("latest" or a directory) into the driver, the controllers
     * and the guard; empty when none exists. Refuses one whose data cursor this run cannot continue
     * ({@link DataCursor}).
     */
    Optional<Restored> read(String which) throws IOException {
        Optional<Path> cp = store.resolve(which);
        if (cp.isEmpty()) {
            return Optional.empty();
        }
        TrainCheckpoint record;
        try (InputStream in = store.open(cp.get(), "trainer.json")) {
            record = JSON.readValue(in, TrainCheckpoint.class);
        }
        if (record.dataCursor() != null) {
            record.dataCursor().checkResumableIn(settings, trainData, cp.get());
        }
        java.nio.file.Path local = Files.createTempFile("frugal-params", ".safetensors");
        try {
            store.fileSystem().copyToLocalFile(new Path(cp.get(), "model.safetensors"), new Path(local.toUri()));
            driver.model().loadSafetensors(local);
        } finally {
            Files.deleteIfExists(local);
        }
        List<byte[]> state;
        try (InputStream in = store.open(cp.get(), "optimizer.bin")) {
            state = Chunks.ofState(StateCodec.read(in), Aggregation.CHUNK_BYTES); // today's format, or the one before it
        }
        controllers.restore(record.controllers());
        guard.restore(record.guard());
        return Optional.of(new Restored(cp.get(), record.position(), state));
    }
}
