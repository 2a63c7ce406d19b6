package io.frugalspark.job.train;

import io.frugalspark.data.TokenizeJob;
import io.frugalspark.data.TokenizeOptions;
import io.frugalspark.job.config.FrugalConfig;
import io.frugalspark.testkit.LocalSpark;
import io.frugalspark.testkit.SharedFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The shipped English corpus tokenized once per test JVM (small BPE, short packed sequences). */
final class TinyCorpus {
    static final int VOCAB = 384;
    static final int SEQ_LEN = 17;
    private static Path dir;

    private TinyCorpus() {}

    static synchronized Path tokens() {
        if (dir == null) {
            try {
                dir = Files.createTempDirectory("tiny-corpus");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            TokenizeJob.run(LocalSpark.context(), TokenizeOptions.builder()
                    .input(SharedFiles.repoRoot().resolve("data/corpus/c4-en").toString())
                    .output(dir.resolve("tokens").toString())
                    .vocabSize(VOCAB).seqLen(SEQ_LEN).bpeSampleBytes(200_000).build());
        }
        return dir.resolve("tokens");
    }

    /** A config for a tiny run on the corpus, writing under {@code work}; extra {@code key=value} overrides. */
    static FrugalConfig config(Path work, String... sets) {
        List<String> all = new ArrayList<>(List.of(
                "data.output=" + tokens(),
                "model.preset=tiny",
                "optimizer.preset=frugal",
                "optimizer.lr=0.003",
                "train.global_batch=4", "train.micro_batch=2", "train.workers=1",
                "train.steps=8", "train.averaging.period=4", "train.seed=7",
                "eval.every=0", "eval.tokens=256",
                "checkpoint.dir=" + work.resolve("ckpt"), "checkpoint.every=0", "checkpoint.keep=5",
                "metrics.dir=" + work.resolve("metrics")));
        all.addAll(List.of(sets));
        return FrugalConfig.load(null, all);
    }
}
