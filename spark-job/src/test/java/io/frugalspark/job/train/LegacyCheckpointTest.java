package io.frugalspark.job.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.frugalspark.job.config.FrugalConfig;
import io.frugalspark.job.io.MetricsLog;
import io.frugalspark.optim.state.OptimizerState;
import io.frugalspark.optim.state.StateCodec;
import io.frugalspark.optim.state.SubspaceRecord;
import io.frugalspark.testkit.LocalSpark;
import io.frugalspark.testkit.SharedFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints written before the typed state format still resume. The fixtures under
 * {@code src/test/resources/legacy-checkpoint} were written by commit 94823bd (see its README): the
 * step-4 checkpoint of an 8-step tiny run, and that uninterrupted run's metrics. Counts compare exactly; losses and
 * norms to within what a different BLAS kernel moves them, far below what a misread state does.
 */
class LegacyCheckpointTest {
    @TempDir
    Path work;

    /** Counts and schedule values: the same bits on every machine. */
    private static final List<String> EXACT = List.of("step", "tokens", "lr", "T", "optimizer_state_bytes");
    /** Losses and norms: sums of float32 products whose last bits follow the BLAS kernel OpenBLAS picks. */
    private static final List<String> FLOAT_SUMS = List.of("train_loss", "val_loss", "stats.total.statefull.grad_sq",
            "stats.total.statefull.update_sq", "stats.total.statefree.update_sq");
    /**
     * The fixtures were recorded under OpenBLAS's Haswell kernel. Under another kernel (Zen 5, OPENBLAS_CORETYPE
     * unset, 2026-12-02) the resumed run moved these by at most 5.5e-7 relative. Misread state moves them more: every
     * first moment read 0.1% too large moves round 0's gradient norm by 2e-5; each tensor's step count off by one moves
     * the losses by 1.6e-4 (and the state bytes, which compare exactly).
     */
    private static final double KERNEL_TOLERANCE = 1e-5;

    private static Path fixture(String preset) {
        return SharedFiles.repoRoot().resolve("spark-job/src/test/resources/legacy-checkpoint").resolve(preset);
    }

    @Test
    void aLegacyFrugalCheckpointResumesWithTheUninterruptedRunsMetrics() throws Exception {
        resumeAndCompare("frugal");
    }

    @Test
    void aLegacyGaLoreCheckpointResumesWithItsBasesAndTheUninterruptedRunsMetrics() throws Exception {
        resumeAndCompare("galore");
    }

    @Test
    void theLegacyReaderRecoversEveryPartOfTheState() throws IOException {
        OptimizerState frugal = read(fixture("frugal").resolve("step-00000004/optimizer.bin"));
        assertEquals(4, frugal.counters().calls());
        assertTrue(frugal.counters().selectorCursor() >= 0, "the block cursor");
        assertEquals(3, frugal.counters().updateGap());
        long active = frugal.tensors().stream().filter(t -> t.inGroup() && t.subspace() == SubspaceRecord.BlockFlag.ACTIVE).count();
        assertEquals(Math.round(0.25 * 14), active, "a quarter of the 14 projectable blocks");
        OptimizerState galore = read(fixture("galore").resolve("step-00000004/optimizer.bin"));
        assertTrue(galore.tensors().stream().anyMatch(t -> t.subspace() instanceof SubspaceRecord.ProjectionBasis), "bases");
    }

    private static void assertClose(Object recorded, Object resumed, String what) {
        if (recorded == null || resumed == null) {
            assertEquals(recorded, resumed, what);
            return;
        }
        double expected = ((Number) recorded).doubleValue();
        assertEquals(expected, ((Number) resumed).doubleValue(), KERNEL_TOLERANCE * Math.abs(expected), what);
    }

    private static OptimizerState read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return StateCodec.read(in);
        }
    }

    private void resumeAndCompare(String preset) throws Exception {
        Path ckpt = work.resolve("ckpt/step-00000004");
        Files.createDirectories(ckpt);
        try (Stream<Path> files = Files.list(fixture(preset).resolve("step-00000004"))) {
            for (Path f : files.toList()) {
                Files.copy(f, ckpt.resolve(f.getFileName()));
            }
        }
        FrugalConfig c = TinyCorpus.config(work, "optimizer.preset=" + preset, "optimizer.T=3", "checkpoint.every=4",
                "eval.every=4", "train.averaging.period=2");
        new ParameterAveragingTrainer(LocalSpark.context(), c, new PrintStream(new ByteArrayOutputStream())).train(ckpt.toString());
        List<Map<String, Object>> resumed = MetricsLog.read(work.resolve("metrics/metrics.jsonl"));
        List<Map<String, Object>> tail = MetricsLog.read(fixture(preset).resolve("uninterrupted-metrics.jsonl")).stream()
                .filter(r -> ((Number) r.get("step")).longValue() > 4).toList();
        assertEquals(tail.size(), resumed.size());
        for (int i = 0; i < tail.size(); i++) {
            for (String key : EXACT) {
                assertEquals(tail.get(i).get(key), resumed.get(i).get(key), preset + ": " + key + " of round " + i);
            }
            for (String key : FLOAT_SUMS) {
                assertClose(tail.get(i).get(key), resumed.get(i).get(key), preset + ": " + key + " of round " + i);
            }
        }
        byte[] magic = Arrays.copyOf(Files.readAllBytes(work.resolve("ckpt/step-00000008/optimizer.bin")), 4);
        assertArrayEquals(new byte[] {'F', 'R', 'S', 'T'}, magic, "the resumed run checkpoints in today's format");
    }
}
