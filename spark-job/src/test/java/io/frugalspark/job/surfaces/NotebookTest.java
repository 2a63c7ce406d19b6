package io.frugalspark.job.surfaces;

import static io.frugalspark.job.surfaces.ZeppelinNote.str;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.frugalspark.data.Manifest;
import io.frugalspark.job.io.MetricsLog;
import io.frugalspark.job.train.TrainResult;
import io.frugalspark.testkit.LocalSpark;
import io.frugalspark.testkit.SharedFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** Executes the Zeppelin notes in notebooks/ on a local SparkContext, on the shipped corpus, at a tiny size. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NotebookTest {
    private static final Path NOTES = SharedFiles.repoRoot().resolve("notebooks");
    @TempDir
    static Path work;

    @Test
    @Order(1)
    void everyNoteStartsBySparkConfAddingTheClusterJar() throws Exception {
        String pom = Files.readString(SharedFiles.repoRoot().resolve("spark-job/pom.xml"));
        Matcher version = Pattern.compile("<version>(.+?)</version>").matcher(pom);
        assertTrue(version.find());
        List<Path> notes;
        try (var s = Files.list(NOTES)) {
            notes = s.filter(p -> p.toString().endsWith(".zpln")).sorted().toList();
        }
        assertEquals(3, notes.size(), notes.toString());
        for (Path note : notes) {
            try (ZeppelinNote n = new ZeppelinNote(note, LocalSpark.context().sc())) {
                String first = n.paragraphs().values().iterator().next();
                assertTrue(first.startsWith("%spark.conf\n"), note + ": " + first);
                String jar = first.lines().filter(l -> l.startsWith("spark.jars ")).findFirst().orElseThrow().split("\\s+")[1];
                assertTrue(jar.endsWith("/spark-job/target/spark-job-" + version.group(1) + "-cluster.jar"), jar);
                assertTrue(n.paragraphs().containsKey(ZeppelinNote.PARAMETERS), note.toString());
            }
        }
    }

    @Test
    @Order(2)
    void tokenizeNoteWritesAndShowsTheManifest() throws Exception {
        try (ZeppelinNote n = note("01-tokenize-and-inspect.zpln")) {
            Map<String, String> out = n.run(Map.of(
                    "corpus", str(SharedFiles.repoRoot().resolve("data/corpus/c4-en")), "tokens", str(tokens()),
                    "vocabSize", "384", "seqLen", "17", "bpeSampleBytes", "200000L"));
            Manifest m = (Manifest) n.value("manifest");
            assertEquals(m, Manifest.read(tokens().toString()));
            assertEquals(384, m.vocabSize());
            assertEquals(17, m.seqLen());
            Map<String, String[]> splits = table(out.get("Splits"), "split");
            assertEquals(m.splits().keySet(), splits.keySet());
            Manifest.Split train = m.split(Manifest.TRAIN);
            assertTrue(train.sequences() > 0);
            assertEquals(List.of(String.valueOf(train.shards().size()), String.valueOf(train.sequences()), String.valueOf(train.tokens())),
                    Arrays.asList(splits.get("train")).subList(1, 4));
            assertTrue(out.get("Tokenizer and layout").contains("384 ids"), out.get("Tokenizer and layout"));
            assertEquals(true, n.value("unchanged"));
        }
    }

    @Test
    @Order(3)
    void trainNoteFollowsTheMetricsWhileTraining() throws Exception {
        Path dir = work.resolve("frugal");
        try (ZeppelinNote n = note("02-train-frugal-follow-metrics.zpln")) {
            Map<String, String> out = n.run(sizes(Map.of("tokens", str(tokens()), "work", str(dir),
                    "model", str("tiny"), "steps", "8", "workers", "2", "evalEvery", "4")));
            TrainResult r = (TrainResult) n.value("result");
            assertEquals(8, r.steps());
            List<Map<String, Object>> rows = MetricsLog.read(dir.resolve("metrics/metrics.jsonl"));
            List<String> followed = out.get("Follow the metrics").lines().filter(l -> l.startsWith("step")).toList();
            assertEquals(List.of(0L, 4L, 8L), rows.stream().map(row -> ((Number) row.get("step")).longValue()).toList());
            assertEquals(rows.size(), followed.size(), out.get("Follow the metrics"));
            for (int i = 0; i < rows.size(); i++) {
                assertTrue(followed.get(i).matches("step\\s+" + rows.get(i).get("step") + "\\s.*val ppl "
                        + String.format("%.2f", (Double) rows.get(i).get("val_ppl"))), followed.get(i));
            }
            assertTrue(out.get("Follow the metrics").contains("done: 8 steps"));
            assertPngShown(out.get("Loss curves"), dir.resolve("loss.png"));
            assertEquals("50", table(out.get("Last round's subspace statistics"), "key").get("T")[1]);
        }
    }

    @Test
    @Order(4)
    void compareNoteTabulatesAndPlotsEachMethodAndRerunsAsANoOp() throws Exception {
        Path dir = work.resolve("compare");
        Map<String, String> params = sizes(Map.of("tokens", str(tokens()), "work", str(dir), "model", str("tiny"),
                "methods", "Seq(\"adamw\", \"frugal\", \"frugal-rho0\")", "steps", "4", "workers", "1", "evalEvery", "0"));
        try (ZeppelinNote n = note("03-compare-methods.zpln")) {
            Map<String, String> out = n.run(params);
            Map<String, String[]> runs = table(out.get("Final figures"), "run");
            assertEquals(List.of("adamw", "frugal", "frugal-rho0"), List.copyOf(runs.keySet()));
            runs.values().forEach(row -> {
                assertEquals("4", row[1]);
                assertTrue(Double.parseDouble(row[4]) > 1, Arrays.toString(row));
            });
            double adamw = Double.parseDouble(runs.get("adamw")[5]);
            double frugal = Double.parseDouble(runs.get("frugal")[5]);
            double rho0 = Double.parseDouble(runs.get("frugal-rho0")[5]);
            assertTrue(adamw > frugal && frugal > rho0 && rho0 > 0, adamw + " " + frugal + " " + rho0);
            assertPngShown(out.get("Loss curves"), dir.resolve("compare.png"));

            byte[] before = Files.readAllBytes(dir.resolve("frugal/metrics/metrics.jsonl"));
            Map<String, String> again = n.run(params);
            assertArrayEquals(before, Files.readAllBytes(dir.resolve("frugal/metrics/metrics.jsonl")));
            assertEquals(out.get("Final figures"), again.get("Final figures"));
        }
    }

    private static ZeppelinNote note(String name) throws Exception {
        return new ZeppelinNote(NOTES.resolve(name), LocalSpark.context().sc());
    }

    private static Path tokens() {
        return work.resolve("tokens");
    }

    /** The notes' batch and evaluation parameters at the tiny test size, plus the given ones. */
    private static Map<String, String> sizes(Map<String, String> params) {
        Map<String, String> all = new LinkedHashMap<>(Map.of("globalBatch", "4", "microBatch", "2", "evalTokens", "256"));
        all.putAll(params);
        return all;
    }

    /** Rows of a Zeppelin %table by their first cell, after checking the header's first column. */
    private static Map<String, String[]> table(String printed, String firstColumn) {
        List<String> lines = printed.lines().toList();
        int header = lines.indexOf(lines.stream().filter(l -> l.startsWith("%table ")).findFirst().orElseThrow());
        assertEquals(firstColumn, lines.get(header).substring("%table ".length()).split("\t")[0]);
        Map<String, String[]> rows = new LinkedHashMap<>();
        lines.subList(header + 1, lines.size()).stream().filter(l -> l.contains("\t"))
                .forEach(l -> rows.put(l.split("\t")[0], l.split("\t")));
        return rows;
    }

    private static void assertPngShown(String printed, Path png) throws Exception {
        assertTrue(printed.startsWith("%html <img src=\"data:image/png;base64,"), printed.substring(0, Math.min(80, printed.length())));
        byte[] bytes = Files.readAllBytes(png);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(bytes, 4));
    }
}
