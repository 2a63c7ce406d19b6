package io.frugalspark.data.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.frugalspark.data.Corpus;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import com.knuddels.jtokkit.api.Encoding;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Byte-level BPE trained on the shipped corpus, the built-in encodings, and DJL's Rust tokenizers. */
class TokenizerTest {
    private static ByteLevelBpe bpe;
    private static List<String> english;
    private static List<String> vietnamese;

    @BeforeAll
    static void train() {
        english = Corpus.documents(Corpus.file("c4-en/c4-validation.00000-of-00001.json.gz"), "text");
        vietnamese = Corpus.documents(Corpus.file("vietvault-vi/train-00000-of-00001.parquet"), "markdown");
        Map<String, Long> counts = new HashMap<>();
        for (String d : english) {
            count(d, counts);
        }
        for (String d : vietnamese.subList(0, 100)) {
            count(d, counts);
        }
        bpe = BpeTrainer.train(counts, 3000 - 3);
    }

    private static void count(String text, Map<String, Long> counts) {
        Matcher m = ByteLevelBpe.PATTERN.matcher(text);
        while (m.find()) {
            counts.merge(m.group(), 1L, Long::sum);
        }
    }

    @Test
    void trainedBpeHasTheRequestedSizeAndCompressesRealText() {
        assertEquals(3000, bpe.vocabSize());
        assertEquals(2997, bpe.bosId());
        assertEquals(2999, bpe.padId());
        Tokenizer t = JtokkitTokenizer.of(bpe, "bpe-3000");
        String doc = english.get(0);
        double bytesPerToken = (double) doc.getBytes(StandardCharsets.UTF_8).length / t.encode(doc).length;
        assertTrue(bytesPerToken > 2.5, "English bytes per token " + bytesPerToken);
        String vi = vietnamese.get(150); // not in the training sample
        double viBytesPerToken = (double) vi.getBytes(StandardCharsets.UTF_8).length / t.encode(vi).length;
        assertTrue(viBytesPerToken > 2.0, "Vietnamese bytes per token " + viBytesPerToken);
    }

    @Test
    void trainingIsDeterministic() {
        Map<String, Long> counts = new HashMap<>();
        english.forEach(d -> count(d, counts));
        ByteLevelBpe a = BpeTrainer.train(counts, 1000);
        ByteLevelBpe b = BpeTrainer.train(new java.util.TreeMap<>(counts), 1000);
        assertEquals(a.toTiktoken(), b.toTiktoken());
    }

    @Test
    void byteLevelRoundTripsAnyUnicode() {
        Tokenizer t = JtokkitTokenizer.of(bpe, "bpe-3000");
        for (String s : List.of(Corpus.MULTILINGUAL, english.get(3), vietnamese.get(7), randomUnicode(new Random(7), 2000))) {
            assertEquals(s, t.decode(t.encode(s)));
        }
    }

    @Test
    void builtInEncodingsRoundTripAndPlaceSpecialsAfterTheirIds() {
        for (String name : List.of("o200k_base", "cl100k_base", "r50k_base")) {
            Tokenizer t = JtokkitTokenizer.builtIn(name);
            assertEquals(Corpus.MULTILINGUAL, t.decode(t.encode(Corpus.MULTILINGUAL)), name);
            assertEquals(t.vocabSize() - 3, t.bosId());
            assertTrue(java.util.Arrays.stream(t.encode(vietnamese.get(1))).allMatch(id -> id < t.bosId()));
            int[] withSpecials = {t.bosId(), t.encode("xin chào")[0], t.eosId(), t.padId()};
            assertEquals(t.decode(new int[] {withSpecials[1]}), t.decode(withSpecials));
        }
        assertEquals(200019 + 3, JtokkitTokenizer.builtIn("o200k_base").vocabSize());
    }

    @Test
    void tiktokenFileRoundTrips() {
        ByteLevelBpe back = ByteLevelBpe.fromTiktoken(bpe.toTiktoken());
        assertEquals(bpe.numRanks(), back.numRanks());
        assertArrayEquals(bpe.token(2500), back.token(2500));
        String firstLine = bpe.toTiktoken().lines().findFirst().orElseThrow();
        assertEquals("AA== 0", firstLine);
    }

    @Test
    void exportedTokenizerJsonGivesDjlTheSameIdsAsJtokkit() throws Exception {
        Tokenizer ours = JtokkitTokenizer.of(bpe, "bpe-3000");
        byte[] json = bpe.toHuggingFaceJson().getBytes(StandardCharsets.UTF_8);
        try (HuggingFaceTokenizer djl = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(json), Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false"))) {
            for (String s : List.of(Corpus.MULTILINGUAL, english.get(5), vietnamese.get(160), vietnamese.get(20))) {
                long[] ids = djl.encode(s, false, false).getIds();
                assertArrayEquals(ours.encode(s), java.util.Arrays.stream(ids).mapToInt(x -> (int) x).toArray(), s.substring(0, 40));
                assertEquals(s, djl.decode(ids, false));
            }
        }
    }

    @Test
    void packagedCl100kRankFileExportedToTokenizerJsonMatchesJtokkitAndDjl() throws Exception {
        String ranks;
        try (var in = Encoding.class.getResourceAsStream("/com/knuddels/jtokkit/cl100k_base.tiktoken")) {
            ranks = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        ByteLevelBpe cl100k = ByteLevelBpe.fromTiktoken(ranks);
        assertEquals(100256, cl100k.numRanks());
        Tokenizer fromFile = JtokkitTokenizer.of(cl100k, "cl100k-file");
        Tokenizer builtIn = JtokkitTokenizer.builtIn("cl100k_base");
        byte[] json = cl100k.toHuggingFaceJson().getBytes(StandardCharsets.UTF_8);
        try (HuggingFaceTokenizer djl = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(json),
                Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false"))) {
            for (String s : List.of(Corpus.MULTILINGUAL, vietnamese.get(42), english.get(9))) {
                int[] ids = builtIn.encode(s);
                assertArrayEquals(ids, fromFile.encode(s));
                assertArrayEquals(ids, Arrays.stream(djl.encode(s, false, false).getIds()).mapToInt(x -> (int) x).toArray());
            }
        }
    }

    @Test
    void hfTokenizerThroughDjlRoundTripsAndKeepsTheFilesSpecials() {
        byte[] json = bpe.toHuggingFaceJson().getBytes(StandardCharsets.UTF_8);
        try (Tokenizer hf = new HfTokenizer(json, "hf:tokenizer.json")) {
            assertEquals(3000, hf.vocabSize());
            assertEquals(bpe.bosId(), hf.bosId());
            assertEquals(bpe.eosId(), hf.eosId());
            assertEquals(bpe.padId(), hf.padId());
            assertEquals(Corpus.MULTILINGUAL, hf.decode(hf.encode(Corpus.MULTILINGUAL)));
            assertArrayEquals(JtokkitTokenizer.of(bpe, "x").encode(vietnamese.get(3)), hf.encode(vietnamese.get(3)));
        }
    }

    private static String randomUnicode(Random r, int n) {
        StringBuilder sb = new StringBuilder();
        while (sb.length() < n) {
            int cp = r.nextInt(4) == 0 ? r.nextInt(0x1FFFF) : 0x20 + r.nextInt(0x2000);
            if (Character.isDefined(cp) && !(cp >= 0xD800 && cp <= 0xDFFF)) {
                sb.appendCodePoint(cp);
            }
        }
        return sb.toString();
    }
}
