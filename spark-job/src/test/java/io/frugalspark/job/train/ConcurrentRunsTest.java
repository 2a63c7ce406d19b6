package io.frugalspark.job.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.frugalspark.job.config.FrugalConfig;
import io.frugalspark.job.io.MetricsLog;
import io.frugalspark.optim.HostArrays;
import io.frugalspark.testkit.LocalSpark;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Two runs on one SparkContext at the same time (two notebook paragraphs) each keep their own replicas
 * and data on the executors: both finish exactly as they do alone.
 */
class ConcurrentRunsTest {
    private static final List<String> KEYS = List.of("step", "train_loss", "val_loss", "lr", "rho", "T",
            "stats.total.statefull.grad_sq", "stats.total.statefree.update_sq", "optimizer_state_bytes");

    @TempDir
    Path work;

    /** The deterministic part of a run: its metric rows and a hash of its final parameters. */
    private record Outcome(List<Map<String, Object>> rows, String paramHash) {}

    private FrugalConfig a(Path dir) {
        return TinyCorpus.config(dir, "optimizer.preset=frugal", "optimizer.T=2", "train.workers=2", "train.steps=6",
                "train.averaging.period=2", "eval.every=2");
    }

    private FrugalConfig b(Path dir) {
        return TinyCorpus.config(dir, "optimizer.preset=adafrugal", "optimizer.lr=0.01", "train.seed=9", "train.steps=6",
                "train.averaging.period=3", "eval.every=3");
    }

    private static Outcome run(FrugalConfig c, Path dir) throws Exception {
        ParameterAveragingTrainer t = new ParameterAveragingTrainer(LocalSpark.context(), c, new PrintStream(new ByteArrayOutputStream()));
        t.train(null);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (INDArray p : t.driverReplica().model().trainableValues()) {
            ByteBuffer bytes = HostArrays.view(p).data();
            sha.update(bytes);
        }
        t.close();
        List<Map<String, Object>> rows = MetricsLog.read(dir.resolve("metrics/metrics.jsonl")).stream()
                .map(r -> r.entrySet().stream().filter(e -> KEYS.contains(e.getKey()))
                        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)))
                .toList();
        return new Outcome(rows, HexFormat.of().formatHex(sha.digest()));
    }

    @Test
    void twoRunsAtOnceEqualTheirSoloRuns() throws Exception {
        TinyCorpus.tokens();
        Outcome soloA = run(a(work.resolve("solo-a")), work.resolve("solo-a"));
        Outcome soloB = run(b(work.resolve("solo-b")), work.resolve("solo-b"));
        CompletableFuture<Outcome> bothA = CompletableFuture.supplyAsync(() -> unchecked(() -> run(a(work.resolve("a")), work.resolve("a"))));
        CompletableFuture<Outcome> bothB = CompletableFuture.supplyAsync(() -> unchecked(() -> run(b(work.resolve("b")), work.resolve("b"))));
        assertEquals(soloA, bothA.get());
        assertEquals(soloB, bothB.get());
        assertNotEquals(soloA.paramHash(), soloB.paramHash(), "the two runs are different runs");
    }

    private interface Body<T> {
        T run() throws Exception;
    }

    private static <T> T unchecked(Body<T> body) {
        try {
            return body.run();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
