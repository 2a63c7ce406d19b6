package io.frugalspark.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.frugalspark.data.input.InputFile;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The layout and life cycle of a token output directory:
 * <pre>
 *   _progress/job.json        config hash, written before any work (marks the directory as ours)
 *   _progress/files/NNNNN.json one per finished input file (resume skips those)
 *   _tmp/                     shards being published
 *   tokenizer/                the tokenizer's files
 *   train/NNNNN.bin, validation/NNNNN.bin   shards, named by input file index
 *   manifest.json             written last: the output is complete
 * </pre>
 */
final class OutputDir {
    static final String TMP = "_tmp";
    private static final String JOB = "_progress/job.json";
    private final String uri;
    private final Configuration conf;
    private final FileSystem fs;

    OutputDir(String uri, Configuration conf) {
        this.uri = uri;
        this.conf = conf;
        try {
            this.fs = new Path(uri).getFileSystem(conf);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach output " + uri + ": " + e.getMessage(), e);
        }
    }

    static Path progressFile(String outputUri, int index) {
        return new Path(outputUri, String.format("_progress/files/%05d.json", index));
    }

    Manifest manifest() throws IOException {
        return fs.exists(new Path(uri, Manifest.FILE_NAME)) ? Manifest.read(uri, conf) : null;
    }

    /** Config hash of a run that started here and did not finish, or null. */
    String startedHash() throws IOException {
        JsonNode job = readJson(new Path(uri, JOB));
        return job == null ? null : job.path("config_hash").asText(null);
    }

    boolean isEmptyOrAbsent() throws IOException {
        Path p = new Path(uri);
        return !fs.exists(p) || (fs.getFileStatus(p).isDirectory() && fs.listStatus(p).length == 0);
    }

    void clear() throws IOException {
        fs.delete(new Path(uri), true);
    }

    void begin(String configHash, ObjectNode identity) throws IOException {
        ObjectNode job = identity.objectNode().put("config_hash", configHash);
        job.set("identity", identity);
        HadoopFiles.writeAtomically(fs, new Path(uri, JOB), Manifest.JSON.writeValueAsBytes(job));
    }

    /** Results of input files already done by an earlier attempt of this config, by index. */
    Map<Integer, FileResult> completed(Iterable<InputFile> files) throws IOException {
        Map<Integer, FileResult> done = new TreeMap<>();
        for (InputFile f : files) {
            JsonNode node = readJson(progressFile(uri, f.index()));
            if (node == null) {
                continue;
            }
            FileResult r = Manifest.JSON.treeToValue(node, FileResult.class);
            if (r.input().equals(f.path()) && r.length() == f.length() && shardsPresent(r)) {
                done.put(f.index(), r);
            }
        }
        return done;
    }

    private boolean shardsPresent(FileResult r) throws IOException {
        for (Manifest.Shard s : r.shards().values()) {
            Path p = new Path(uri, s.path());
            if (!fs.exists(p) || fs.getFileStatus(p).getLen() != s.bytes()) {
                return false;
            }
        }
        return true;
    }

    void commit(Manifest m) throws IOException {
        m.write(uri, conf);
        fs.delete(new Path(uri, TMP), true);
    }

    private JsonNode readJson(Path p) throws IOException {
        try (InputStream in = fs.open(p)) {
            return Manifest.JSON.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (FileNotFoundException e) {
            return null;
        }
    }

    /** For error messages: what is in the directory. */
    String describe() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (FileStatus s : fs.listStatus(new Path(uri))) {
            sb.append(sb.length() == 0 ? "" : ", ").append(s.getPath().getName());
        }
        return sb.toString();
    }
}
