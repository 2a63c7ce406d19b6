package io.frugalspark.data.input;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.frugalspark.data.BadInputException;
import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/** JSON lines, gzip-compressed when the name ends in .gz: C4's layout and VietVault's jsonl. */
final class JsonLinesSource implements DocumentSource {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String textColumn;

    JsonLinesSource(String textColumn) {
        this.textColumn = textColumn;
    }

    @Override
    public void read(Path file, Configuration conf, SkipLog skips, Consumer<Document> sink) throws IOException {
        long lineNo = 0;
        try (BufferedReader r = open(file, conf)) {
            String line;
            while (true) {
                try {
                    line = r.readLine();
                } catch (ZipException | EOFException | CharacterCodingException e) {
                    throw new BadInputException("corrupt input " + file + " after line " + lineNo + ": " + e, e);
                } catch (IOException e) {
                    // Anything else may be transient (network, datanode): fail the task so Spark retries it.
                    throw new IOException("cannot read " + file + " after line " + lineNo + ": " + e.getMessage(), e);
                }
                if (line == null) {
                    return;
                }
                lineNo++;
                if (!line.isBlank()) {
                    parse(line, file + ":" + lineNo, skips, sink);
                }
            }
        }
    }

    private BufferedReader open(Path file, Configuration conf) throws IOException {
        InputStream in = file.getFileSystem(conf).open(file);
        if (file.getName().endsWith(".gz")) {
            try {
                in = new GZIPInputStream(in, 1 << 16);
            } catch (ZipException | EOFException e) {
                in.close();
                throw new BadInputException("corrupt gzip " + file + ": " + e.getMessage(), e);
            }
        }
        // Malformed UTF-8 is a corrupt file, not text to guess at.
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)), 1 << 16);
    }

    private void parse(String line, String location, SkipLog skips, Consumer<Document> sink) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            skips.add(SkipLog.MALFORMED_JSON, location);
            return;
        }
        if (node == null || !node.isObject()) {
            skips.add(SkipLog.MALFORMED_JSON, location);
            return;
        }
        JsonNode text = node.get(textColumn);
        if (text == null || !text.isTextual()) {
            skips.add(SkipLog.MISSING_TEXT, location);
        } else if (text.asText().isBlank()) {
            skips.add(SkipLog.EMPTY_DOCUMENT, location);
        } else {
            sink.accept(new Document(text.asText(), location));
        }
    }
}
