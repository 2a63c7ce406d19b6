package io.frugalspark.job.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.frugalspark.job.config.FrugalConfig;
import io.frugalspark.job.io.MetricsLog;
import io.frugalspark.testkit.LocalSpark;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** --resume latest over a corrupt newest checkpoint, end to end on local Spark and the local file system. */
class CorruptCheckpointResumeTest {
    private static final String[] SETS = {"checkpoint.every=2", "eval.every=2", "train.averaging.period=2"};
    private static final List<String> KEYS = List.of("step", "tokens", "train_loss", "lr", "val_loss", "stats.total.statefull.grad_sq");

    @TempDir
    Path work;

    private static ParameterAveragingTrainer trainer(FrugalConfig c, ByteArrayOutputStream console) {
        return new ParameterAveragingTrainer(LocalSpark.context(), c, new PrintStream(console, true, StandardCharsets.UTF_8));
    }

    private static List<Map<String, Object>> rowsAfter(Path run, long step) throws Exception {
        return MetricsLog.read(run.resolve("metrics/metrics.jsonl")).stream()
                .filter(r -> ((Number) r.get("step")).longValue() > step).toList();
    }

    private static void flipByte(Path file) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            long at = f.length() / 2;
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x10);
        }
    }

    @Test
    void aFlippedByteInTheNewestModelIsSkippedAndTheRunEqualsOneResumedFromThePrevious() throws Exception {
        Path a = work.resolve("a");
        trainer(TinyCorpus.config(a, SETS), new ByteArrayOutputStream()).train(null); // checkpoints 2, 4, 6, 8
        List<Map<String, Object>> uninterrupted = rowsAfter(a, 6);
        Path model = a.resolve("ckpt/step-00000008/model.safetensors");
        flipByte(model);

        Path b = work.resolve("b");
        ParameterAveragingTrainer reference = trainer(TinyCorpus.config(b, SETS), new ByteArrayOutputStream());
        reference.train(a.resolve("ckpt/step-00000006").toString());

        ByteArrayOutputStream console = new ByteArrayOutputStream();
        ParameterAveragingTrainer resumed = trainer(TinyCorpus.config(a, SETS), console);
        resumed.train("latest");
        String out = console.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("warning: skipping corrupt checkpoint") && out.contains(model.getFileName().toString())
                && out.contains("step-00000008/model.safetensors: sha256 expected"), out);
        assertTrue(out.contains("step-00000006 at step 6"), out);

        List<Map<String, Object>> got = rowsAfter(a, 6);
        List<Map<String, Object>> want = rowsAfter(b, 6);
        assertEquals(want.size(), got.size());
        assertEquals(uninterrupted.size(), got.size());
        for (int i = 0; i < want.size(); i++) {
            for (String key : KEYS) {
                assertEquals(want.get(i).get(key), got.get(i).get(key), key + " of round " + i);
                assertEquals(uninterrupted.get(i).get(key), got.get(i).get(key), key + " of round " + i + " vs the uninterrupted run");
            }
        }
        List<INDArray> r = reference.driverReplica().model().trainableValues();
        List<INDArray> g = resumed.driverReplica().model().trainableValues();
        for (int i = 0; i < r.size(); i++) {
            assertEquals(r.get(i), g.get(i), "parameter tensor " + i);
        }
        try (Stream<Path> aside = Files.list(a.resolve("ckpt"))) {
            assertEquals(1, aside.filter(p -> p.getFileName().toString().startsWith("corrupt-step-00000008-")).count(),
                    "the corrupt checkpoint was moved aside when step 8 was written again, not deleted");
        }
    }
}
