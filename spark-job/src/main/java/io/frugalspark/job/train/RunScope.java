package io.frugalspark.job.train;

import io.frugalspark.data.Manifest;
import io.frugalspark.data.shard.TokenShards;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one run keeps on each executor: an engine (a replica) per worker (building a model allocates all its
 * buffers, so it is reused across rounds and only loaded with the broadcast parameters and state)
 * and the data splits. It travels as a broadcast value, which Spark deserializes once per executor
 * and shares among that executor's tasks, so the caches belong to this run alone: runs side by side
 * on one context (two notebook paragraphs) never touch each other's replicas. {@link #release()}
 * frees them at the run's end; destroying the broadcast drops the rest. Should Spark evict the value,
 * the next task rebuilds its replica from the broadcast parameters, so reuse is never needed for
 * correctness (a retried task reloads everything too).
 */
final class RunScope implements Serializable {
    private final RunSpec spec;
    private transient Map<Integer, ReplicaEngine> engines;
    private transient Map<String, TokenShards> shards;

    RunScope(RunSpec spec) {
        this.spec = spec;
    }

    RunSpec spec() {
        return spec;
    }

    /** This run's engine for {@code worker} on this JVM, holding the broadcast parameters. */
    synchronized ReplicaEngine engine(int worker, List<byte[]> params) {
        if (engines == null) {
            engines = new HashMap<>();
        }
        ReplicaEngine e = engines.computeIfAbsent(worker, w -> spec.newEngine());
        e.loadParameters(params);
        return e;
    }

    /**
     * The split's shards, opened once per JVM for this run and shared by its tasks. Sequences are read
     * on demand through the Hadoop FileSystem, so an executor holds only the ones in use, whatever the
     * corpus size (a worker reads only the sequences it owns).
     */
    synchronized TokenShards shards(String split) {
        if (shards == null) {
            shards = new HashMap<>();
        }
        return shards.computeIfAbsent(split, k -> TokenShards.open(spec.settings().tokensDir(), split));
    }

    /** Which training sequences {@code worker} reads at each step. */
    SequenceSampler sampler(int worker) {
        TrainSettings s = spec.settings();
        return new SequenceSampler(shards(Manifest.TRAIN).numSequences(), s.loop().workers(), worker, s.loop().seed());
    }

    /** The micro-batches of one optimizer step on one worker. */
    List<int[][]> microBatches(SequenceSampler sampler, long step) {
        TrainSettings s = spec.settings();
        List<int[][]> out = new ArrayList<>(s.loop().accumulation());
        for (int j = 0; j < s.loop().accumulation(); j++) {
            out.add(batch(Manifest.TRAIN, sampler.indices(step, j, s.loop().microBatch(), s.loop().accumulation())));
        }
        return out;
    }

    /** Rows of token ids for the given global sequence indices. */
    int[][] batch(String split, long[] indices) {
        TokenShards data = shards(split);
        int[][] rows = new int[indices.length][];
        for (int i = 0; i < indices.length; i++) {
            rows[i] = data.sequence(indices[i]);
        }
        return rows;
    }

    /** Closes this JVM's replicas of the run and drops its data; later tasks would build them again. */
    synchronized void release() {
        if (engines != null) {
            engines.values().forEach(ReplicaEngine::close);
            engines = null;
        }
        if (shards != null) {
            shards.values().forEach(TokenShards::close);
            shards = null;
        }
    }
}
