package io.frugalspark.data.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizeBenchTest {
    private static final List<String> DOCS = List.of("first document", "zweites Dokument \u00e4\u00f6\u00fc", "third");

    @Test
    void zeroMegabytesWritesEveryDocumentOnceIntoTheNamedFiles(@TempDir Path dir) throws IOException {
        long bytes = TokenizeBench.writeInput(DOCS, dir, 0, 2);
        long expected = DOCS.stream().mapToLong(d -> d.getBytes(StandardCharsets.UTF_8).length).sum();
        assertEquals(expected, bytes);
        assertEquals(List.of("first document", "third"), texts(dir.resolve(TokenizeBench.inputFileName(0, 2))));
        assertEquals(List.of(DOCS.get(1)), texts(dir.resolve(TokenizeBench.inputFileName(1, 2))));
        assertEquals("c4-train.00000-of-00041.json.gz", TokenizeBench.inputFileName(0, 41));
    }

    @Test
    void aTargetRepeatsTheDocumentsUntilReached(@TempDir Path dir) throws IOException {
        long bytes = TokenizeBench.writeInput(DOCS, dir, 40, 1);
        // 14 + 23 + 5 = 42 bytes after three documents: the first pass already reaches 40
        assertEquals(42, bytes);
        assertEquals(DOCS, texts(dir.resolve(TokenizeBench.inputFileName(0, 1))));
        long more = TokenizeBench.writeInput(DOCS, dir.resolve("more"), 50, 1);
        assertEquals(42 + 14, more);
        assertEquals(4, texts(dir.resolve("more").resolve(TokenizeBench.inputFileName(0, 1))).size());
    }

    @Test
    void tokenizerListKeepsOrderAndDropsRepeats() {
        assertEquals(List.of("bpe", "o200k_base"), TokenizeBench.tokenizers(" bpe,o200k_base,bpe,"));
        assertThrows(IllegalArgumentException.class, () -> TokenizeBench.tokenizers(" , "));
    }

    private static List<String> texts(Path file) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<String> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(file)),
                StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                out.add(json.readTree(line).get("text").asText());
            }
        }
        return out;
    }
}
