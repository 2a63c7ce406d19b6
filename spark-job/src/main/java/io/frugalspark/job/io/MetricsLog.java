package io.frugalspark.job.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.frugalspark.data.HadoopFiles;
import java.io.Closeable;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.CommonPathCapabilities;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.StreamCapabilities;
import org.apache.hadoop.fs.UnsupportedFileSystemException;

/**
 * A run's metrics, one JSON object per line (per round), on any Hadoop FileSystem ({@code metrics.dir}
 * may be a plain local path, {@code file:}, {@code hdfs://}, ...), so that in cluster deploy mode the
 * rows outlive the driver's container.
 *
 * <p>Each row is flushed as it is written: {@code hflush} where the stream has it (HDFS: readers see
 * the row at once), a plain flush elsewhere. The log is a sequence of part files read in order:
 * {@code metrics.jsonl}, {@code metrics-00001.jsonl}, ... A resumed run appends to the last part where
 * the file system can append and starts the next part where it cannot (object stores). A writer
 * killed mid-row leaves a torn last line in its part; {@link #read} skips it with a warning, and any
 * other malformed line is an error naming the file and line.
 *
 * <p>A resumed run first keeps only the rows up to its checkpoint's step ({@link #keepUpTo}): parts
 * written after that step are deleted newest first, then the one part that straddles it is rewritten
 * beside itself and renamed over itself, so a crash at any point leaves every row up to the
 * checkpoint in place.
 *
 * <p>An HDFS append rebuilds the last block's pipeline with {@code dfs.replication} datanodes: on a
 * cluster with fewer, it fails ("Failed to replace a bad datanode") unless the client's replication
 * fits the cluster or {@code dfs.client.block.write.replace-datanode-on-failure.policy} is NEVER.
 */
public final class MetricsLog implements Closeable {
    public static final String FILE = "metrics.jsonl";
    private static final Pattern PART = Pattern.compile("metrics(-\\d{5})?\\.jsonl");
    private static final Pattern SCHEME = Pattern.compile("[a-zA-Z][a-zA-Z0-9+.-]*:");
    private static final ObjectMapper JSON = new ObjectMapper();
    private final FSDataOutputStream out;
    private final Path file;
    private final boolean hflush;

    private MetricsLog(FSDataOutputStream out, Path file) {
        this.out = out;
        this.file = file;
        this.hflush = out.hasCapability(StreamCapabilities.HFLUSH);
    }

    /**
     * Opens the log of {@code metricsDirUri} for writing. {@code keepUpToStep < 0}: a fresh run, every
     * earlier part is deleted. Otherwise a resumed run: rows after that step go ({@link #keepUpTo}) and
     * new rows follow the kept ones.
     */
    public static MetricsLog open(String metricsDirUri, Configuration conf, long keepUpToStep) throws IOException {
        Path dir = dirPath(metricsDirUri);
        FileSystem fs = fileSystem(dir, conf);
        fs.mkdirs(dir);
        List<Path> parts = parts(fs, dir);
        if (keepUpToStep < 0) {
            for (Path p : parts) {
                fs.delete(p, false);
            }
            return new MetricsLog(fs.create(new Path(dir, FILE), true), new Path(dir, FILE));
        }
        parts = keepUpTo(fs, parts, keepUpToStep);
        if (parts.isEmpty()) {
            return new MetricsLog(fs.create(new Path(dir, FILE), false), new Path(dir, FILE));
        }
        Path last = parts.get(parts.size() - 1);
        if (fs.hasPathCapability(last, CommonPathCapabilities.FS_APPEND)) {
            return new MetricsLog(fs.append(last), last);
        }
        Path next = new Path(dir, String.format("metrics-%05d.jsonl", number(last) + 1));
        return new MetricsLog(fs.create(next, false), next);
    }

    public void write(Map<String, ?> record) throws IOException {
        out.write((JSON.writeValueAsString(record) + "\n").getBytes(StandardCharsets.UTF_8));
        if (hflush) {
            out.hflush();
        } else {
            out.flush();
        }
    }

    /** The part being written, as a URI string. */
    public String uri() {
        return file.toString();
    }

    /** Rows of a local metrics file (for plots and comparisons). */
    public static List<Map<String, Object>> read(java.nio.file.Path file) throws IOException {
        return read(file.toAbsolutePath().toUri().toString(), new Configuration());
    }

    /** Rows of a metrics directory (all its parts, in order) or of one file; a torn last line is skipped with a warning on stderr. */
    public static List<Map<String, Object>> read(String fileOrDirUri, Configuration conf) throws IOException {
        return read(fileOrDirUri, conf, System.err::println);
    }

    /** As {@link #read(String, Configuration)}, with each torn line's warning passed to {@code warnings}. */
    public static List<Map<String, Object>> read(String fileOrDirUri, Configuration conf, Consumer<String> warnings)
            throws IOException {
        Path p = dirPath(fileOrDirUri);
        FileSystem fs = fileSystem(p, conf);
        List<Path> files = fs.getFileStatus(p).isDirectory() ? parts(fs, p) : List.of(p);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Path f : files) {
            Part part = Part.read(fs, f);
            part.torn().ifPresent(warnings);
            rows.addAll(part.rows());
        }
        return rows;
    }

    /**
     * Keeps the rows of {@code metricsDirUri} with a step up to {@code step} (what a run resumed from
     * that step's checkpoint starts from); a missing directory is an empty log.
     */
    public static void keepUpTo(String metricsDirUri, Configuration conf, long step) throws IOException {
        Path dir = dirPath(metricsDirUri);
        FileSystem fs = fileSystem(dir, conf);
        if (fs.exists(dir)) {
            keepUpTo(fs, parts(fs, dir), step);
        }
    }

    /** The parts that remain, in order. */
    private static List<Path> keepUpTo(FileSystem fs, List<Path> parts, long step) throws IOException {
        for (int i = 0; i < parts.size(); i++) {
            Part part = Part.read(fs, parts.get(i));
            if (part.hasRowAfter(step)) {
                // Later parts were written by runs resumed after this part's rows, so they hold only later steps.
                for (int j = parts.size() - 1; j > i; j--) {
                    fs.delete(parts.get(j), false);
                }
                part.rewriteUpTo(fs, step);
                return parts.subList(0, i + 1);
            }
            if (part.torn().isPresent()) {
                part.rewriteUpTo(fs, step); // rows appended after a torn line would be glued to it
            }
        }
        return parts;
    }

    /** The log's part files in reading order. */
    private static List<Path> parts(FileSystem fs, Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        for (FileStatus s : fs.listStatus(dir)) {
            if (s.isFile() && PART.matcher(s.getPath().getName()).matches()) {
                out.add(s.getPath());
            }
        }
        // "metrics.jsonl" sorts after "metrics-00001.jsonl" ('.' > '-'), but it is the first part.
        out.sort((a, b) -> partKey(a).compareTo(partKey(b)));
        return out;
    }

    private static String partKey(Path p) {
        return p.getName().equals(FILE) ? "" : p.getName();
    }

    /** 0 for metrics.jsonl, N for metrics-0000N.jsonl. */
    private static int number(Path part) {
        String n = part.getName();
        return n.equals(FILE) ? 0 : Integer.parseInt(n.substring("metrics-".length(), n.length() - ".jsonl".length()));
    }

    /** A URI as is; a path without a scheme is local, as metrics.dir always was (never fs.defaultFS). */
    static Path dirPath(String uri) {
        return SCHEME.matcher(uri).lookingAt() ? new Path(uri) : new Path(java.nio.file.Path.of(uri).toAbsolutePath().toUri());
    }

    /** The local file system without .crc files beside the metrics: the files are plain JSON lines, as before. */
    static FileSystem fileSystem(Path p, Configuration conf) throws IOException {
        FileSystem fs = p.getFileSystem(conf);
        return fs instanceof org.apache.hadoop.fs.LocalFileSystem local ? local.getRawFileSystem() : fs;
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    /** One part file's complete rows, and the warning for its torn last line if it has one. */
    private record Part(Path file, List<Map<String, Object>> rows, Optional<String> torn) {

        @SuppressWarnings("unchecked")
        static Part read(FileSystem fs, Path file) throws IOException {
            String text;
            try (InputStream in = fs.open(file)) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (FileNotFoundException e) {
                throw new FileNotFoundException("no metrics file " + file);
            }
            String[] lines = text.split("\n", -1); // the last element is what follows the last newline
            List<Map<String, Object>> rows = new ArrayList<>();
            Optional<String> torn = Optional.empty();
            for (int i = 0; i < lines.length; i++) {
                if (lines[i].isBlank()) {
                    continue;
                }
                try {
                    rows.add(JSON.readValue(lines[i], Map.class));
                } catch (JsonProcessingException e) {
                    if (i < lines.length - 1) {
                        throw new IOException(file + ":" + (i + 1) + ": not a JSON metrics row: " + e.getOriginalMessage(), e);
                    }
                    torn = Optional.of("warning: " + file + ":" + (i + 1) + ": skipped a torn last line ("
                            + lines[i].length() + " chars without a newline; the writer stopped mid-row)");
                }
            }
            return new Part(file, rows, torn);
        }

        boolean hasRowAfter(long step) {
            return rows.stream().anyMatch(r -> !upTo(r, step));
        }

        /** A row without a step is kept: only rows known to be after the checkpoint go. */
        private static boolean upTo(Map<String, Object> row, long step) {
            return !(row.get("step") instanceof Number n) || n.longValue() <= step;
        }

        void rewriteUpTo(FileSystem fs, long step) throws IOException {
            Path tmp = new Path(file.getParent(), "." + file.getName() + "." + UUID.randomUUID() + ".tmp");
            try (FSDataOutputStream o = fs.create(tmp, false)) {
                for (Map<String, Object> r : rows) {
                    if (upTo(r, step)) {
                        o.write((JSON.writeValueAsString(r) + "\n").getBytes(StandardCharsets.UTF_8));
                    }
                }
            }
            replace(fs, tmp, file);
        }

        /**
         * FileContext's rename replaces the target in one step (HDFS's FileSystem.rename refuses to). A
         * file system without a FileContext binding gets delete-then-rename; a crash between the two
         * leaves the kept rows in the .tmp file beside.
         */
        private static void replace(FileSystem fs, Path tmp, Path file) throws IOException {
            FileContext fc;
            try {
                fc = FileContext.getFileContext(fs.getUri(), fs.getConf());
            } catch (UnsupportedFileSystemException e) {
                HadoopFiles.moveInto(fs, tmp, file);
                return;
            }
            fc.rename(tmp, file, Options.Rename.OVERWRITE);
        }
    }
}
