package io.frugalspark.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.frugalspark.data.shard.ShardCursor;
import io.frugalspark.data.shard.TokenBatchIterator;
import io.frugalspark.data.shard.TokenShards;
import io.frugalspark.data.shard.UnigramBaseline;
import io.frugalspark.data.tokenizer.Tokenizer;
import io.frugalspark.testkit.MiniDfs;
import io.frugalspark.testkit.MiniDfsExtension;
import io.frugalspark.testkit.SparkExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The whole job on the shipped real corpus, on a real local Spark and a real HDFS. */
@ExtendWith({SparkExtension.class, MiniDfsExtension.class})
class TokenizeJobTest {
    private static final String VALIDATION_FILE = "c4-en/c4-validation.00000-of-00001.json.gz";
    private static final String PARQUET_FILE = "vietvault-vi/train-00000-of-00001.parquet";

    private static TokenizeOptions.Builder c4(String input, String output) {
        return TokenizeOptions.builder().input(input).output(output).format(InputFormat.C4)
                .vocabSize(1024).seqLen(128).bpeSampleBytes(400_000);
    }

    @Test
    void c4EndToEndOnHdfsInPackMode(JavaSparkContext sc, MiniDfs dfs) throws Exception {
        FileSystem fs = dfs.fileSystem();
        fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(Corpus.c4().toUri()), new org.apache.hadoop.fs.Path("/corpus/c4-en"));
        String out = dfs.uri() + "/tokens/c4";
        Manifest m = TokenizeJob.run(sc, c4(dfs.uri() + "/corpus/c4-en", out).build());

        assertEquals(1024, m.vocabSize());
        assertEquals(1023, m.padId());
        assertEquals("uint16", m.dtype());
        assertEquals(List.of("train/00000.bin", "train/00001.bin"), m.split("train").shards().stream().map(Manifest.Shard::path).toList());
        assertEquals(List.of("validation/00002.bin"), m.split("validation").shards().stream().map(Manifest.Shard::path).toList());
        assertTrue(fs.exists(new org.apache.hadoop.fs.Path(out + "/tokenizer/tokenizer.json")));

        Tokenizer tok = Tokenizer.load(out, fs.getConf());
        List<String> docs = Corpus.documents(Corpus.file(VALIDATION_FILE), "text");
        List<Integer> stream = new ArrayList<>();
        for (String d : docs) {
            Arrays.stream(tok.encode(d)).forEach(stream::add);
            stream.add(tok.eosId());
        }
        Manifest.Split v = m.split("validation");
        assertEquals(docs.size(), v.documents());
        assertEquals(stream.size(), v.tokens());
        assertEquals((stream.size() + 127) / 128, v.sequences());
        try (TokenShards shards = TokenShards.open(out, "validation", fs.getConf(), null)) {
            int[] second = shards.sequence(1);
            assertArrayEquals(stream.subList(128, 256).stream().mapToInt(Integer::intValue).toArray(), second);
            assertArrayEquals(stream.subList(0, 128).stream().mapToInt(Integer::intValue).toArray(), shards.sequence(0),
                    "the first sequence holds the first document's tokens");
            assertEquals(docs.get(0), tok.decode(tok.encode(docs.get(0))), "the tokenizer round-trips real text");
        }
        double ppl;
        try (TokenShards train = TokenShards.open(out, "train", fs.getConf(), null);
             TokenShards val = TokenShards.open(out, "validation", fs.getConf(), null)) {
            ppl = UnigramBaseline.perplexity(train, val);
        }
        assertTrue(ppl > 20 && ppl < 1024, "unigram perplexity " + ppl);
    }

    @Test
    void batchIteratorResumesFromItsCursor(JavaSparkContext sc, @TempDir Path tmp) {
        String out = tmp.resolve("c4").toUri().toString();
        Manifest m = TokenizeJob.run(sc, c4(Corpus.c4().toUri().toString(), out).build());
        long firstShard = m.split("train").shards().get(0).sequences();
        try (TokenShards shards = TokenShards.open(out, "train", new Configuration(), new int[] {1, 0})) {
            TokenBatchIterator it = new TokenBatchIterator(shards, 5, ShardCursor.START, true);
            List<int[]> seen = new ArrayList<>();
            ShardCursor mid = null;
            long total = shards.numSequences();
            for (int b = 0; b < (total / 5) + 3; b++) {
                if (b == total / 5 - 1) {
                    mid = it.cursor();
                }
                seen.addAll(List.of(it.next()));
            }
            assertArrayEquals(shards.sequence(0), seen.get(0));
            assertArrayEquals(shards.sequence(0), seen.get((int) total)); // cycled to the start
            assertEquals(m.split("train").shards().get(1).sequences() + firstShard, total);
            TokenBatchIterator resumed = new TokenBatchIterator(shards, 5, ShardCursor.parse(mid.toString()), true);
            int from = (int) (total / 5 - 1) * 5;
            int[][] batch = resumed.next();
            for (int r = 0; r < 5; r++) {
                assertArrayEquals(seen.get(from + r), batch[r]);
            }
        }
    }

    @Test
    void vietvaultParquetAndJsonlInDocumentModeOnHdfs(JavaSparkContext sc, MiniDfs dfs, @TempDir Path tmp) throws Exception {
        FileSystem fs = dfs.fileSystem();
        fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(Corpus.file(PARQUET_FILE).toUri()), new org.apache.hadoop.fs.Path("/vv/parquet/train-00000-of-00001.parquet"));
        List<String> docs = Corpus.documents(Corpus.file(PARQUET_FILE), "markdown");
        Path jsonl = tmp.resolve("train-00000-of-00001.jsonl");
        StringBuilder sb = new StringBuilder();
        for (String d : docs) {
            sb.append(Manifest.JSON.createObjectNode().put("id", "x").put("markdown", d).toString()).append('\n');
        }
        Files.writeString(jsonl, sb);
        fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(jsonl.toUri()), new org.apache.hadoop.fs.Path("/vv/jsonl/train-00000-of-00001.jsonl"));

        TokenizeOptions.Builder b = TokenizeOptions.builder().format(InputFormat.VIETVAULT).tokenizer("o200k_base")
                .mode(SequenceMode.DOCUMENT).seqLen(64).validationFraction(0.1);
        Manifest p = TokenizeJob.run(sc, b.input(dfs.uri() + "/vv/parquet").output(dfs.uri() + "/tok/vv-parquet").build());
        Manifest j = TokenizeJob.run(sc, b.input(dfs.uri() + "/vv/jsonl").output(dfs.uri() + "/tok/vv-jsonl").build());

        assertEquals("int32", p.dtype());
        assertEquals(200022, p.vocabSize());
        assertEquals(docs.size(), p.split("train").documents() + p.split("validation").documents());
        assertTrue(p.split("validation").documents() > 5 && p.split("validation").documents() < docs.size() / 4);
        assertEquals(p.split("train").sequences(), p.split("train").documents());
        assertEquals(p.split("train").shards().get(0).sha256(), j.split("train").shards().get(0).sha256());
        assertEquals(p.split("validation").shards().get(0).sha256(), j.split("validation").shards().get(0).sha256());

        Tokenizer tok = Tokenizer.load(dfs.uri() + "/tok/vv-parquet", fs.getConf());
        try (TokenShards train = TokenShards.open(dfs.uri() + "/tok/vv-parquet", "train", fs.getConf(), null)) {
            String firstTrain = docs.stream().filter(d -> !tok.decode(tok.encode(d)).isEmpty())
                    .filter(d -> io.frugalspark.data.input.HashSplit.of(new io.frugalspark.data.input.InputFile(0, "", 0, null), d, 0.1, 1234).equals("train"))
                    .findFirst().orElseThrow();
            int[] expected = Arrays.copyOf(tok.encode(firstTrain), 64);
            expected[63] = tok.eosId();
            assertArrayEquals(expected, train.sequence(0));
            assertTrue(Arrays.stream(train.sequence(0)).noneMatch(t -> t == tok.padId()), "a document longer than a sequence leaves no padding");
        }
    }

    @Test
    void sameShardsOnAnyPartitionCount(JavaSparkContext sc, @TempDir Path tmp) throws Exception {
        String in = Corpus.c4().toUri().toString();
        Manifest one = TokenizeJob.run(sc, c4(in, tmp.resolve("p1").toUri().toString()).partitions(1).build());
        Manifest three = TokenizeJob.run(sc, c4(in, tmp.resolve("p3").toUri().toString()).partitions(3).build());
        assertEquals(one.tokenizer(), three.tokenizer());
        assertEquals(one.splits(), three.splits());
        for (String f : List.of("train/00000.bin", "train/00001.bin", "validation/00002.bin", "tokenizer/tokenizer.json", "tokenizer/bpe.tiktoken")) {
            assertArrayEquals(Files.readAllBytes(tmp.resolve("p1").resolve(f)), Files.readAllBytes(tmp.resolve("p3").resolve(f)), f);
        }
    }

    @Test
    void savedBpeReloadsAsTiktokenAndThroughDjlWithIdenticalShards(JavaSparkContext sc, @TempDir Path tmp) throws Exception {
        String in = Corpus.c4().toUri().toString();
        Path bpeOut = tmp.resolve("bpe");
        Manifest trained = TokenizeJob.run(sc, c4(in, bpeOut.toUri().toString()).build());
        Manifest viaRanks = TokenizeJob.run(sc, c4(in, tmp.resolve("ranks").toUri().toString())
                .tokenizer(bpeOut.resolve("tokenizer/bpe.tiktoken").toString()).build());
        Manifest viaDjl = TokenizeJob.run(sc, c4(in, tmp.resolve("hf").toUri().toString())
                .tokenizer(bpeOut.resolve("tokenizer/tokenizer.json").toString()).build());
        assertEquals(trained.tokenizer().sha256(), viaRanks.tokenizer().sha256());
        assertEquals("hf", viaDjl.tokenizer().kind());
        assertEquals(trained.vocabSize(), viaDjl.vocabSize());
        assertEquals(trained.padId(), viaDjl.padId());
        for (Manifest other : List.of(viaRanks, viaDjl)) {
            assertEquals(trained.splits(), other.splits());
        }
        try (Tokenizer djl = Tokenizer.load(tmp.resolve("hf").toUri().toString())) {
            assertEquals(Corpus.MULTILINGUAL, djl.decode(djl.encode(Corpus.MULTILINGUAL)));
        }
    }

    @Test
    void sameConfigIsANoOpDifferentConfigNeedsOverwrite(JavaSparkContext sc, @TempDir Path tmp) throws Exception {
        String in = Corpus.file(VALIDATION_FILE).toUri().toString();
        String out = tmp.resolve("o").toUri().toString();
        TokenizeOptions.Builder b = TokenizeOptions.builder().input(in).output(out).tokenizer("cl100k_base").seqLen(64);
        Manifest first = TokenizeJob.run(sc, b.build());
        Path manifest = tmp.resolve("o/manifest.json");
        long written = Files.getLastModifiedTime(manifest).toMillis();
        Thread.sleep(20);
        assertEquals(first, TokenizeJob.run(sc, b.partitions(3).build()));
        assertEquals(written, Files.getLastModifiedTime(manifest).toMillis());

        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> TokenizeJob.run(sc, b.seqLen(32).build()));
        assertTrue(refused.getMessage().contains("--overwrite"), refused.getMessage());
        assertEquals(first, Manifest.read(out));

        Manifest replaced = TokenizeJob.run(sc, b.seqLen(32).overwrite(true).build());
        assertEquals(32, replaced.seqLen());
        assertNotEquals(first.configHash(), replaced.configHash());

        Files.createDirectories(tmp.resolve("foreign"));
        Files.writeString(tmp.resolve("foreign/notes.txt"), "mine");
        IllegalStateException foreign = assertThrows(IllegalStateException.class,
                () -> TokenizeJob.run(sc, b.output(tmp.resolve("foreign").toUri().toString()).overwrite(true).build()));
        assertTrue(foreign.getMessage().contains("not a tokenize output"), foreign.getMessage());
        assertTrue(Files.exists(tmp.resolve("foreign/notes.txt")));
    }

    @Test
    void interruptedRunResumesPerInputFile(JavaSparkContext sc, @TempDir Path tmp) throws Exception {
        String out = tmp.resolve("o").toUri().toString();
        TokenizeOptions o = c4(Corpus.c4().toUri().toString(), out).build();
        Manifest full = TokenizeJob.run(sc, o);
        // An attempt that died after file 0 was done: no manifest, file 1 and 2 not recorded.
        Files.delete(tmp.resolve("o/manifest.json"));
        Files.delete(tmp.resolve("o/_progress/files/00001.json"));
        Files.delete(tmp.resolve("o/_progress/files/00002.json"));
        Files.write(tmp.resolve("o/validation/00002.bin"), new byte[] {1, 2, 3}); // half-written leftover
        long untouched = Files.getLastModifiedTime(tmp.resolve("o/train/00000.bin")).toMillis();
        assertThrows(IllegalArgumentException.class, () -> TokenShards.open(out, "train"));

        Manifest resumed = TokenizeJob.run(sc, o);
        assertEquals(full, resumed);
        assertEquals(untouched, Files.getLastModifiedTime(tmp.resolve("o/train/00000.bin")).toMillis());
        try (TokenShards v = TokenShards.open(out, "validation")) {
            assertEquals(full.split("validation").sequences(), v.numSequences());
        }
    }

    @Test
    void corruptGzipFailsNamingTheFileThenSkipResumesAndCountsIt(JavaSparkContext sc, @TempDir Path tmp) throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in"));
        Files.copy(Corpus.file(VALIDATION_FILE), in.resolve("c4-train.00000-of-00002.json.gz"));
        byte[] good = Files.readAllBytes(Corpus.file("c4-en/c4-train.00000-of-00002.json.gz"));
        Files.write(in.resolve("c4-train.00001-of-00002.json.gz"), Arrays.copyOf(good, good.length / 2));
        String out = tmp.resolve("o").toUri().toString();
        TokenizeOptions.Builder b = TokenizeOptions.builder().input(in.toUri().toString()).output(out).tokenizer("cl100k_base").seqLen(64);

        BadInputException e = assertThrows(BadInputException.class, () -> TokenizeJob.run(sc, b.build()));
        assertTrue(e.getMessage().contains("c4-train.00001-of-00002.json.gz"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("o/manifest.json")));

        Manifest m = TokenizeJob.run(sc, b.onError(OnError.SKIP).build());
        assertEquals(1, m.skipped().get("unreadable_file").count());
        assertTrue(m.skipped().get("unreadable_file").examples().get(0).contains("c4-train.00001-of-00002.json.gz"));
        assertTrue(m.splits().values().stream().flatMap(sp -> sp.shards().stream())
                .allMatch(sh -> sh.input().endsWith("c4-train.00000-of-00002.json.gz")));
        assertEquals(Corpus.documents(Corpus.file(VALIDATION_FILE), "text").size(),
                m.split("train").documents() + m.split("validation").documents());
    }

    @Test
    void transientReadErrorsAreRetriedBySparkNotSkipped(@TempDir Path tmp) throws Exception {
        JavaSparkContext retrying = io.frugalspark.testkit.LocalSpark.context("local[2,2]"); // 2 attempts per task
        try {
            retrying.hadoopConfiguration().set("fs.flaky.impl", io.frugalspark.data.input.FlakyFileSystem.class.getName());
            retrying.hadoopConfiguration().setBoolean("fs.flaky.impl.disable.cache", true);
            TokenizeOptions.Builder b = TokenizeOptions.builder().tokenizer("cl100k_base").seqLen(64).onError(OnError.SKIP);
            Manifest flaky = TokenizeJob.run(retrying, b.input("flaky://" + Corpus.c4().toAbsolutePath() + "/*.json.gz")
                    .output(tmp.resolve("flaky").toUri().toString()).build());
            Manifest clean = TokenizeJob.run(retrying, b.input(Corpus.c4().toUri().toString())
                    .output(tmp.resolve("clean").toUri().toString()).build());
            assertTrue(flaky.skipped().isEmpty(), "nothing skipped: " + flaky.skipped());
            assertEquals(clean.split("train").tokens(), flaky.split("train").tokens());
            for (int i = 0; i < 2; i++) {
                assertEquals(clean.split("train").shards().get(i).sha256(), flaky.split("train").shards().get(i).sha256());
            }
        } finally {
            io.frugalspark.testkit.LocalSpark.context(); // back to the shared local[2]
        }
    }

    @Test
    void badLinesAreCountedByReasonWithFileLineExamples(JavaSparkContext sc, @TempDir Path tmp) throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in"));
        List<String> real = Corpus.documents(Corpus.file(VALIDATION_FILE), "text");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            lines.add(Manifest.JSON.createObjectNode().put("text", real.get(i)).put("url", "u").toString());
        }
        lines.add(3, "{\"text\": \"unterminated");
        lines.add(5, "{\"url\": \"no text here\"}");
        lines.add(6, "{\"text\": \"   \"}");
        lines.add(7, "[1, 2]");
        lines.add(8, "{\"text\": null}");
        lines.add(9, "{\"text\": \"\"}");
        Path file = in.resolve("c4-train.00000-of-00001.json.gz");
        try (var gz = new java.util.zip.GZIPOutputStream(Files.newOutputStream(file))) {
            gz.write(String.join("\n", lines).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        Manifest m = TokenizeJob.run(sc, TokenizeOptions.builder().input(in.toUri().toString())
                .output(tmp.resolve("o").toUri().toString()).tokenizer("cl100k_base").seqLen(64)
                .maxBadLineFraction(0.5).build()); // 4 of 16 records are broken: far over the default 1%
        String name = file.toUri().toString().replace("file:///", "file:/");
        assertEquals(new Manifest.Skip(2, List.of(name + ":4", name + ":8")), m.skipped().get("malformed_json"));
        assertEquals(new Manifest.Skip(2, List.of(name + ":6", name + ":9")), m.skipped().get("missing_text"));
        assertEquals(new Manifest.Skip(2, List.of(name + ":7", name + ":10")), m.skipped().get("empty_document"));
        assertEquals(10, m.split("train").documents() + m.split("validation").documents());
    }

    @Test
    void missingParquetColumnFailsNamingColumnAndFile(JavaSparkContext sc, @TempDir Path tmp) {
        TokenizeOptions o = TokenizeOptions.builder().input(Corpus.vietvault().toUri().toString()).format(InputFormat.VIETVAULT)
                .textColumn("body").output(tmp.resolve("o").toUri().toString()).tokenizer("o200k_base").build();
        BadInputException e = assertThrows(BadInputException.class, () -> TokenizeJob.run(sc, o));
        assertTrue(e.getMessage().contains("missing column 'body'") && e.getMessage().contains("train-00000-of-00001.parquet")
                && e.getMessage().contains("markdown"), e.getMessage());
    }

    @Test
    void unreachableInputIsAClearError(JavaSparkContext sc, @TempDir Path tmp) {
        TokenizeOptions o = TokenizeOptions.builder().input(tmp.resolve("nothing-here").toUri().toString())
                .output(tmp.resolve("o").toUri().toString()).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TokenizeJob.run(sc, o));
        assertTrue(e.getMessage().contains("input not found") && e.getMessage().contains("nothing-here"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("o")), "a bad input claims no output directory");
    }
}
