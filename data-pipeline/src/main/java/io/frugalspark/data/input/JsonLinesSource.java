package io.frugalspark.data.input;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.frugalspark.data.BadInputException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * JSON lines, gzip-compressed when the name ends in .gz: C4's layout and VietVault's jsonl.
 *
 * <p>Bad input, as someone tokenizing a 10 GB crawl needs it handled:
 * <ul>
 * <li>A file that is corrupt as a whole (a gzip stream cut short or failing its CRC: a download or
 *     copy that did not finish; a 0-byte .gz) throws {@link BadInputException} naming the file and
 *     the last line read; what it held after that is unknown, so under {@code on_error=skip} the
 *     whole file is left out and counted as {@code unreadable_file}.
 * <li>One bad line is one bad document, not a bad file: a line that is not a JSON object
 *     ({@code malformed_json}), lacks the text field or has it null ({@code missing_text}), has it
 *     as a number, array or object ({@code wrong_type}), is not valid UTF-8 ({@code invalid_utf8})
 *     or is longer than {@link DocumentSource#MAX_LINE_BYTES} (64 MiB) ({@code oversized_line}, passed over without
 *     being held in memory) is skipped and counted with its file:line in the manifest.
 * <li>More bad lines than {@code max_bad_line_fraction} of a file's records mean the file is not
 *     what the config says (another text column, not JSON lines, not UTF-8): a
 *     {@link BadInputException} naming the file, the counts and the first bad line.
 * <li>Blank text is counted as {@code empty_document}; a file without a single record (an empty
 *     .jsonl, a gzip of nothing) as {@code empty_file}. Neither is an error.
 * </ul>
 * Documents of any length up to the line limit are tokenized whole.
 */
final class JsonLinesSource implements DocumentSource {
    /** Jackson's default string limit (20M chars) would make a long document malformed_json; no line within ours holds a longer one. */
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(MAX_LINE_BYTES).build()).build());
    private final String textColumn;
    private final double maxBadLineFraction;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);

    JsonLinesSource(String textColumn, double maxBadLineFraction) {
        this.textColumn = textColumn;
        this.maxBadLineFraction = maxBadLineFraction;
    }

    @Override
    public void read(Path file, Configuration conf, SkipLog skips, Consumer<Document> sink) throws IOException {
        BadLines bad = new BadLines(file, skips);
        long lineNo = 0;
        long records = 0;
        try (InputStream in = open(file, conf)) {
            Lines lines = new Lines(in, MAX_LINE_BYTES);
            while (next(lines, file, lineNo)) {
                lineNo++;
                String location = file + ":" + lineNo;
                String line = lines.oversized() ? null : decode(lines);
                if (line == null) {
                    records++;
                    bad.add(lines.oversized() ? SkipLog.OVERSIZED_LINE : SkipLog.INVALID_UTF8, location);
                } else if (!line.isBlank()) {
                    records++;
                    parse(line, location, skips, bad, sink);
                }
            }
        }
        if (records == 0) {
            skips.add(SkipLog.EMPTY_FILE, file.toString());
        }
        bad.check(records, maxBadLineFraction, textColumn);
    }

    private static boolean next(Lines lines, Path file, long lineNo) throws IOException {
        try {
            return lines.next();
        } catch (ZipException | EOFException e) {
            throw new BadInputException("corrupt gzip " + file + " after line " + lineNo + ": " + e, e);
        } catch (IOException e) {
            // Anything else may be transient (network, datanode): fail the task so Spark retries it.
            throw new IOException("cannot read " + file + " after line " + lineNo + ": " + e.getMessage(), e);
        }
    }

    private InputStream open(Path file, Configuration conf) throws IOException {
        InputStream in = file.getFileSystem(conf).open(file);
        if (!file.getName().endsWith(".gz")) {
            return in;
        }
        try {
            return new GZIPInputStream(in, 1 << 16);
        } catch (ZipException | EOFException e) {
            in.close();
            throw new BadInputException("corrupt gzip " + file + ": no gzip header (" + e + "); an empty or cut-off file?", e);
        }
    }

    /** The line as text, or null when it is not UTF-8: malformed bytes are a broken record, not text to guess at. */
    private String decode(Lines lines) {
        try {
            return utf8.decode(ByteBuffer.wrap(lines.bytes(), 0, lines.length())).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private void parse(String line, String location, SkipLog skips, BadLines bad, Consumer<Document> sink) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            node = null;
        }
        if (node == null || !node.isObject()) {
            bad.add(SkipLog.MALFORMED_JSON, location);
            return;
        }
        JsonNode text = node.get(textColumn);
        if (text == null || text.isNull()) {
            bad.add(SkipLog.MISSING_TEXT, location);
        } else if (!text.isTextual()) {
            bad.add(SkipLog.WRONG_TYPE, location);
        } else if (text.asText().isBlank()) {
            skips.add(SkipLog.EMPTY_DOCUMENT, location); // blank text is a document with nothing to learn, not a broken one
        } else {
            sink.accept(new Document(text.asText(), location));
        }
    }

    /** One file's unusable lines: counted in the job's skip log, and against the file's limit. */
    private static final class BadLines {
        private final Path file;
        private final SkipLog skips;
        private final Map<String, Long> byReason = new TreeMap<>();
        private String first;

        BadLines(Path file, SkipLog skips) {
            this.file = file;
            this.skips = skips;
        }

        void add(String reason, String location) {
            skips.add(reason, location);
            if (byReason.isEmpty()) {
                first = reason + " at " + location;
            }
            byReason.merge(reason, 1L, Long::sum);
        }

        void check(long records, double maxFraction, String textColumn) {
            long count = byReason.values().stream().mapToLong(Long::longValue).sum();
            if (count > maxFraction * records) {
                throw new BadInputException(file + ": " + count + " of " + records + " records unusable " + byReason
                        + ", the first " + first + "; more than data.max_bad_line_fraction=" + maxFraction
                        + " of the file. Is it JSON lines in UTF-8 with its text in '" + textColumn + "' (data.text_column)?");
            }
        }
    }
}
