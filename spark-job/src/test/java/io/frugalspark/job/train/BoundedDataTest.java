package io.frugalspark.job.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.frugalspark.data.Manifest;
import io.frugalspark.data.TokenizeJob;
import io.frugalspark.data.TokenizeOptions;
import io.frugalspark.testkit.LocalSpark;
import io.frugalspark.testkit.SharedFiles;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An executor's data does not grow with the corpus: a run over ten copies of the shipped corpus
 * keeps as much heap for its data as a run over one copy, while every worker still reads its
 * own sequences.
 */
class BoundedDataTest {
    /** Long enough sequences that per-sequence bookkeeping is small beside the tokens, as in real runs. */
    private static final int SEQ_LEN = 256;

    @TempDir
    Path work;

    @Test
    void executorHeapForTrainingDataIsIndependentOfCorpusSize() throws IOException {
        Path onefold = tokenizeCopies(1);
        Path tenfold = tokenizeCopies(10);
        long one = retainedHeap(onefold);
        long ten = retainedHeap(tenfold);
        long corpusBytes = Manifest.read(tenfold.toString(), new Configuration()).split(Manifest.TRAIN).shards().stream()
                .mapToLong(Manifest.Shard::sequences).sum() * SEQ_LEN * 2;
        assertTrue(corpusBytes > 20L << 20, "the tenfold corpus is large enough to see: " + corpusBytes + " bytes");
        // What does grow: one open stream per shard file and the sampler's permutation (4 bytes per
        // owned sequence of 2 x 256 bytes); holding the shards would add about 0.9 x corpusBytes.
        assertTrue(ten - one < 2L << 20,
                "heap held for data: " + one + " bytes over 1x, " + ten + " over 10x (corpus " + corpusBytes + " bytes)");
    }

    @Test
    void aWorkerReadsTheSequencesItOwnsFromTheShards() throws IOException {
        RunScope run = scope(TinyCorpus.tokens());
        SequenceSampler sampler = run.sampler(1);
        long[] idx = sampler.indices(3, 0, 4, 1);
        int[][] rows = run.batch(Manifest.TRAIN, idx);
        try (var shards = io.frugalspark.data.shard.TokenShards.open(TinyCorpus.tokens().toString(), Manifest.TRAIN)) {
            for (int i = 0; i < idx.length; i++) {
                assertEquals(1, idx[i] % 2, "worker 1 of 2 owns the odd sequences");
                assertArrayEquals(shards.sequence(idx[i]), rows[i]);
            }
        }
        run.release();
    }

    /** Heap still in use after opening the train split and reading a few steps' batches, over the heap before. */
    private long retainedHeap(Path tokens) {
        long before = usedAfterGc();
        RunScope run = scope(tokens);
        SequenceSampler sampler = run.sampler(0);
        for (long step = 0; step < 4; step++) {
            run.microBatches(sampler, step);
        }
        long after = usedAfterGc();
        run.release();
        return after - before;
    }

    private RunScope scope(Path tokens) {
        TrainSettings s = TrainSettings.from(TinyCorpus.config(work, "data.output=" + tokens, "train.workers=2"));
        return new RunScope(RunSpec.of("bounded", s, Manifest.read(tokens.toString(), new Configuration()), FaultPlan.NONE));
    }

    private static long usedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** The shipped English corpus's training files {@code copies} times over, tokenized with {@link TinyCorpus}'s BPE size. */
    private Path tokenizeCopies(int copies) throws IOException {
        Path shipped = SharedFiles.repoRoot().resolve("data/corpus/c4-en");
        Path input = Files.createDirectories(work.resolve("c4-x" + copies));
        try (var files = Files.list(shipped)) {
            for (Path f : files.toList()) {
                int n = f.getFileName().toString().contains("train") ? copies : 1;
                for (int c = 0; c < n; c++) {
                    Files.copy(f, input.resolve(f.getFileName().toString().replace(".json.gz", "-copy" + c + ".json.gz")));
                }
            }
        }
        Path out = work.resolve("tokens-x" + copies);
        TokenizeJob.run(LocalSpark.context(), TokenizeOptions.builder().input(input.toString()).output(out.toString())
                .vocabSize(TinyCorpus.VOCAB).seqLen(SEQ_LEN).bpeSampleBytes(200_000).build());
        return out;
    }
}
