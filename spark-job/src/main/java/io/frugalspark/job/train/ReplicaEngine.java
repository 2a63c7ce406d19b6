package io.frugalspark.job.train;

import io.frugalspark.model.LossResult;
import io.frugalspark.optim.StepStats;
import java.util.List;

/**
 * The seam between the trainer and whatever computes a worker's steps: one model replica with its
 * optimizer. Parameters, gradients and optimizer state cross it only as chunks in the one state
 * format ({@link Chunks}), so the trainer, the round exchange and checkpoints never see an engine's
 * arrays. {@link Replica} is the ND4J (CPU) engine; a GPU engine implements the same calls.
 */
public interface ReplicaEngine extends AutoCloseable {
    /** Replaces the trainable parameters with the given chunks (model order). */
    void loadParameters(List<byte[]> chunks);

    /** Replaces the optimizer state with the given chunks (head first). */
    void loadState(List<byte[]> chunks);

    /**
     * Fills the gradients with the gradient of the mean loss over all counted targets of the
     * micro-batches (the same as one forward/backward over their union) and returns that loss.
     */
    LossResult accumulateGradients(List<int[][]> microBatches, int ignoreIndex);

    /** Step {@code i} of the plan on the current gradients: the plan's density, gap, selection and lr. */
    StepStats step(RoundPlan plan, int i);

    /** Loss of a batch without touching gradients (evaluation). */
    LossResult loss(int[][] batch, int ignoreIndex);

    List<byte[]> exportParameters(long maxChunkBytes);

    List<byte[]> exportGradients(long maxChunkBytes);

    List<byte[]> exportState(long maxChunkBytes);

    /** The first tensor holding a NaN or an infinity: gradients first, then parameters; null if none. */
    NonFinite firstNonFinite();

    /** A tensor holding a NaN or an infinity: {@code kind} is "gradient" or "parameter". */
    record NonFinite(String kind, String tensor) {}

    /** Bytes the optimizer state holds now (moments, bases, selections). */
    long stateBytes();

    @Override
    void close();
}
