package io.frugalspark.data.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.frugalspark.data.Corpus;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;

/** The scanner against the regex it replaces (java.util.regex is the oracle): the same pieces everywhere. */
class Gpt4PreTokenizerTest {
    /** Code points from every class the regex distinguishes, and the ones its edge cases turn on. */
    private static final int[] ALPHABET = {
        'a', 'Z', 's', 'S', 't', 'r', 'e', 'v', 'm', 'l', 'L', 'd', 'D', 'x', '\'', '\'', '\'', 0x17F /* long s */, 0x212A /* Kelvin */,
        '0', '7', 0xB2 /* superscript 2 */, 0x2166 /* roman numeral 7 */, 0x663 /* arabic 3 */,
        ' ', ' ', ' ', '\t', '\n', '\r', 0x0B, 0x0C, 0x1C /* not \s */, 0x85, 0xA0, 0x2028, 0x2029, 0x3000, 0x200B /* not \s */,
        '.', ',', '!', '-', '_', '(', '"', 0xA9, 0x2014, 0x5D0 /* hebrew letter */, 0x4E2D /* CJK */, 0x1EA1 /* Vietnamese */,
        0x1D400 /* math bold A: a letter beyond the BMP */, 0x1D7D9 /* math digit */, 0x1F600 /* emoji */, 0xD800 /* lone surrogate */,
        0x301 /* combining acute: a mark, neither letter nor number */,
    };

    private static List<String> regexPieces(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = ByteLevelBpe.PATTERN.matcher(text);
        int at = 0;
        while (m.find()) {
            assertEquals(at, m.start(), "the regex skipped text");
            out.add(m.group());
            at = m.end();
        }
        assertEquals(text.length(), at, "the regex left a tail");
        return out;
    }

    private static List<String> scannerPieces(String text) {
        List<String> out = new ArrayList<>();
        Gpt4PreTokenizer.forEachPiece(text, out::add);
        return out;
    }

    private static void same(String text) {
        assertEquals(regexPieces(text), scannerPieces(text), () -> "pieces of " + escape(text.substring(0, Math.min(text.length(), 200))));
    }

    private static String escape(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().forEach(c -> b.append(c >= 0x20 && c < 0x7F ? String.valueOf((char) c) : String.format("\\u{%X}", c)));
        return b.toString();
    }

    @Test
    void realEnglishAndVietnameseTextSplitsTheSame() {
        for (String doc : Corpus.documents(Corpus.file("c4-en/c4-validation.00000-of-00001.json.gz"), "text")) {
            same(doc);
        }
        for (String doc : Corpus.documents(Corpus.file("vietvault-vi/train-00000-of-00001.parquet"), "markdown").subList(0, 200)) {
            same(doc);
        }
    }

    @Test
    void randomMixesOfEveryClassSplitTheSame() {
        Random rnd = new Random(12);
        for (int i = 0; i < 20000; i++) {
            StringBuilder b = new StringBuilder();
            for (int k = 1 + rnd.nextInt(12); k > 0; k--) {
                b.appendCodePoint(ALPHABET[rnd.nextInt(ALPHABET.length)]);
            }
            same(b.toString());
        }
    }

    @Test
    void everyBmpCodePointSplitsTheSameInEachContext() {
        String[][] contexts = {{"x", "y"}, {"'", ""}, {"'", "e"}, {" ", "."}, {"", "\n"}, {"1", "23"}, {"\n", " a"}, {".", "  "},
            {"'", "l"}, {"'l", ""}, {"'r", ""}, {"'v", ""}};
        for (int c = 0; c <= 0xFFFF; c++) {
            String s = String.valueOf((char) c);
            for (String[] ctx : contexts) {
                same(ctx[0] + s + ctx[1]);
            }
        }
    }
}
