package io.frugalspark.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.frugalspark.data.tokenizer.Tokenizer;
import io.frugalspark.testkit.SparkExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The tokenize job's bad-input matrix on real files (gzip written by GZIPOutputStream, then cut,
 * mangled or emptied) through the real job on a real local Spark: each broken input sits after a
 * good real C4 file, and gives either an error naming the file (and line) or a skip counted in the
 * manifest with its file:line, never a shard holding anything but the good documents, and never
 * the loss of the good file's shard already written.
 */
@ExtendWith(SparkExtension.class)
class BadInputMatrixTest {
    private static final String GOOD = "c4-train.00000-of-00002.json.gz";
    private static final String BAD = "c4-train.00001-of-00002.json.gz";
    /** A small real C4 file (110 documents), copied under a train name so no file fixes the splits. */
    private static final Path REAL_FILE = Corpus.file("c4-en/c4-validation.00000-of-00001.json.gz");
    private static final List<String> REAL = Corpus.documents(REAL_FILE, "text");
    @TempDir
    Path tmp;

    /** The first {@code n} real documents as C4 lines. */
    private static List<byte[]> lines(int n) {
        List<byte[]> out = new ArrayList<>();
        for (String text : REAL.subList(0, n)) {
            out.add(Manifest.JSON.createObjectNode().put("text", text).put("url", "u").toString().getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    private static byte[] gzip(List<byte[]> lines) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(bytes)) {
            for (byte[] l : lines) {
                gz.write(l);
                gz.write('\n');
            }
        }
        return bytes.toByteArray();
    }

    /** A corpus directory holding the good real file. */
    private Path corpus(String dir) throws IOException {
        Path in = Files.createDirectories(tmp.resolve(dir));
        Files.copy(REAL_FILE, in.resolve(GOOD));
        return in;
    }

    /** A corpus directory: the good real file, then {@code bad}. */
    private Path corpus(String dir, byte[] bad) throws IOException {
        Path in = corpus(dir);
        Files.write(in.resolve(BAD), bad);
        return in;
    }

    private TokenizeOptions.Builder options(Path in, String out) {
        return TokenizeOptions.builder().input(in.toUri().toString()).output(tmp.resolve(out).toUri().toString())
                .tokenizer("cl100k_base").seqLen(64).validationFraction(0).partitions(1); // one task: the good file first
    }

    /** How the manifest names a file (Hadoop's "file:/..."). */
    private static String name(Path file) {
        return new org.apache.hadoop.fs.Path(file.toUri()).toString();
    }

    private static Manifest.Shard shardOf(Manifest m, String input) {
        return m.split(Manifest.TRAIN).shards().stream().filter(s -> s.input().endsWith(input)).findFirst().orElseThrow();
    }

    /** One broken line, the eighth of 21: skipped and counted, the rest of its file kept. */
    enum BadLine {
        MALFORMED_JSON("malformed_json", "{\"text\": \"unterminated".getBytes(StandardCharsets.UTF_8)),
        WRONG_FIELD_TYPE("wrong_type", "{\"text\": [\"a\", \"list\"], \"url\": \"u\"}".getBytes(StandardCharsets.UTF_8)),
        MISSING_TEXT("missing_text", "{\"url\": \"u\"}".getBytes(StandardCharsets.UTF_8)),
        INVALID_UTF8("invalid_utf8", concat("{\"text\": \"caf".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xC3, '('},
                "\"}".getBytes(StandardCharsets.UTF_8)));

        final String reason;
        final byte[] line;

        BadLine(String reason, byte[] line) {
            this.reason = reason;
            this.line = line;
        }
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @ParameterizedTest
    @EnumSource(BadLine.class)
    void aBadLineIsACountedSkipAndItsFileShardHoldsExactlyTheGoodDocuments(BadLine kind, JavaSparkContext sc) throws IOException {
        List<byte[]> good = lines(20);
        List<byte[]> withBad = new ArrayList<>(good);
        withBad.add(7, kind.line);
        Path in = corpus("in", gzip(withBad));
        Manifest m = TokenizeJob.run(sc, options(in, "o").maxBadLineFraction(0.1).build());
        Manifest clean = TokenizeJob.run(sc, options(corpus("clean", gzip(good)), "c").build());

        assertEquals(new Manifest.Skip(1, List.of(name(in.resolve(BAD)) + ":8")), m.skipped().get(kind.reason));
        assertEquals(List.of(kind.reason), List.copyOf(m.skipped().keySet()));
        assertEquals(20, shardOf(m, BAD).documents());
        assertEquals(shardOf(clean, BAD).sha256(), shardOf(m, BAD).sha256(), "the shard is the clean file's, byte for byte");
    }

    @Test
    void aLineOverTheLimitIsPassedOverAndCounted(JavaSparkContext sc) throws IOException {
        List<byte[]> good = lines(20);
        Path in = corpus("in");
        try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(in.resolve(BAD)))) {
            gz.write(good.get(0));
            gz.write("\n{\"text\": \"".getBytes(StandardCharsets.UTF_8));
            byte[] words = "all work and no play ".repeat(1 << 10).getBytes(StandardCharsets.UTF_8);
            for (long n = 0; n <= io.frugalspark.data.input.DocumentSource.MAX_LINE_BYTES; n += words.length) {
                gz.write(words);
            }
            gz.write("\"}\n".getBytes(StandardCharsets.UTF_8));
            for (byte[] l : good.subList(1, 20)) {
                gz.write(l);
                gz.write('\n');
            }
        }
        Manifest m = TokenizeJob.run(sc, options(in, "o").maxBadLineFraction(0.1).build());
        Manifest clean = TokenizeJob.run(sc, options(corpus("clean", gzip(good)), "c").build());

        assertEquals(new Manifest.Skip(1, List.of(name(in.resolve(BAD)) + ":2")), m.skipped().get("oversized_line"));
        assertEquals(shardOf(clean, BAD).sha256(), shardOf(m, BAD).sha256());
    }

    @Test
    void aFiftyMegabyteDocumentIsTokenizedWhole(JavaSparkContext sc) throws IOException {
        // Every real document ends with a newline, where the tokenizer's pre-split always cuts, so the
        // huge document's ids are the block's ids repeated: no second 50 MB encode to check them.
        String block = String.join("\n", REAL) + "\n";
        int repeats = (50 << 20) / block.length() + 1;
        String huge = block.repeat(repeats);
        List<byte[]> lines = lines(4);
        lines.add(2, Manifest.JSON.createObjectNode().put("text", huge).toString().getBytes(StandardCharsets.UTF_8));
        Manifest m = TokenizeJob.run(sc, options(corpus("in", gzip(lines)), "o").build());

        long expected = 1; // the huge document's EOS
        try (Tokenizer tok = Tokenizer.load(tmp.resolve("o").toUri().toString(), new org.apache.hadoop.conf.Configuration())) {
            expected += (long) repeats * tok.encode(block).length;
            for (String text : REAL.subList(0, 4)) {
                expected += tok.encode(text).length + 1; // + EOS
            }
        }
        Manifest.Shard s = shardOf(m, BAD);
        assertEquals(5, s.documents());
        assertTrue(huge.length() >= 50 << 20);
        assertEquals(expected, s.tokens(), "every token of the huge document is in the shard");
        assertTrue(m.skipped().isEmpty(), m.skipped().toString());
    }

    /** A file broken as a whole: an error naming it, or with on_error=skip the whole file counted as unreadable. */
    enum BrokenFile {
        TRUNCATED_GZIP("after line "),
        ZERO_BYTE_GZIP("no gzip header"),
        MISSING_TEXT_COLUMN("missing_text"),
        NOT_UTF8("invalid_utf8");

        final String says;

        BrokenFile(String says) {
            this.says = says;
        }

        byte[] bytes() throws IOException {
            return switch (this) {
                case TRUNCATED_GZIP -> {
                    byte[] whole = gzip(lines(100));
                    yield Arrays.copyOf(whole, whole.length / 2);
                }
                case ZERO_BYTE_GZIP -> new byte[0];
                case MISSING_TEXT_COLUMN -> gzip(REAL.subList(0, 30).stream().map(t -> Manifest.JSON.createObjectNode()
                        .put("content", t).toString().getBytes(StandardCharsets.UTF_8)).toList());
                case NOT_UTF8 -> gzip(REAL.subList(0, 30).stream().map(t -> Manifest.JSON.createObjectNode()
                        .put("text", t + " café").toString().getBytes(StandardCharsets.ISO_8859_1)).toList());
            };
        }
    }

    @ParameterizedTest
    @EnumSource(BrokenFile.class)
    void aBrokenFileFailsNamingItAndTheGoodShardWrittenBeforeItSurvives(BrokenFile kind, JavaSparkContext sc) throws IOException {
        Path in = corpus("in", kind.bytes());
        BadInputException e = assertThrows(BadInputException.class, () -> TokenizeJob.run(sc, options(in, "o").build()));
        assertTrue(e.getMessage().contains(name(in.resolve(BAD))) && e.getMessage().contains(kind.says), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("o/manifest.json")));
        Path goodShard = tmp.resolve("o/train/00000.bin");
        long written = Files.getLastModifiedTime(goodShard).toMillis();

        Manifest m = TokenizeJob.run(sc, options(in, "o").onError(OnError.SKIP).build());
        assertEquals(written, Files.getLastModifiedTime(goodShard).toMillis(), "the good file was not redone");
        assertEquals(1, m.skipped().get("unreadable_file").count());
        assertTrue(m.skipped().get("unreadable_file").examples().get(0).contains(kind.says));
        assertEquals(List.of(GOOD), m.split(Manifest.TRAIN).shards().stream()
                .map(s -> s.input().substring(s.input().lastIndexOf('/') + 1)).toList());
    }

    @Test
    void filesWithoutRecordsAreCountedNotErrors(JavaSparkContext sc) throws IOException {
        Path in = corpus("in", gzip(List.of())); // a valid gzip of nothing
        Files.write(in.resolve("c4-train.00002-of-00002.jsonl"), new byte[0]);
        Manifest m = TokenizeJob.run(sc, options(in, "o").build());
        assertEquals(new Manifest.Skip(2, List.of(name(in.resolve(BAD)), name(in.resolve("c4-train.00002-of-00002.jsonl")))),
                m.skipped().get("empty_file"));
        assertEquals(List.of(GOOD), m.split(Manifest.TRAIN).shards().stream()
                .map(s -> s.input().substring(s.input().lastIndexOf('/') + 1)).toList());
    }
}
