package io.frugalspark.job.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One JSON object per line (per round), flushed each time so a person can plot a running job. */
public final class MetricsLog implements Closeable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final BufferedWriter out;
    private final Path file;

    /** Appends when {@code append} (a resumed run), else starts the file afresh. */
    public MetricsLog(Path file, boolean append) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        this.file = file;
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
    }

    public void write(Map<String, ?> record) throws IOException {
        out.write(JSON.writeValueAsString(record));
        out.newLine();
        out.flush();
    }

    public Path file() {
        return file;
    }

    /** Reads a metrics file back (for plots and comparisons). */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> read(Path file) throws IOException {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                rows.add(JSON.readValue(line, Map.class));
            }
        }
        return rows;
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
