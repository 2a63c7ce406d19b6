package io.frugalspark.data;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * {@code manifest.json} of a token output directory, written last: its presence means the output is
 * complete. Shard paths are relative to the output directory. JSON keys are snake_case.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Manifest(
        int version,
        int vocabSize,
        int bosId,
        int eosId,
        int padId,
        int seqLen,
        String mode,
        String dtype,
        Map<String, Split> splits,
        Map<String, Skip> skipped,
        TokenizerInfo tokenizer,
        JsonNode config,
        String configHash) {

    public static final String FILE_NAME = "manifest.json";
    public static final int VERSION = 1;
    public static final String TRAIN = "train";
    public static final String VALIDATION = "validation";

    static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** One split's totals and its shards in input order. Tokens count every non-PAD id. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Split(long sequences, long tokens, long documents, long textBytes, List<Shard> shards) implements java.io.Serializable {
        /** The split's identity: a SHA-256 over its shards' hashes in order (what a checkpoint's data cursor was read from). */
        public String shardsDigest() {
            try {
                java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
                shards.forEach(s -> sha.update(s.sha256().getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
                return java.util.HexFormat.of().formatHex(sha.digest());
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java platform has SHA-256", e);
            }
        }
    }

    /** One shard file: where it came from, what it holds, and its SHA-256. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Shard(String path, String input, long sequences, long tokens, long documents, long textBytes,
                        long bytes, String sha256) implements java.io.Serializable {}

    /** Skipped inputs of one reason, with the first few file:line examples. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Skip(long count, List<String> examples) implements java.io.Serializable {}

    /** Which tokenizer made the ids; files are relative to the output directory. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record TokenizerInfo(String kind, String name, String sha256, List<String> files) {}

    public Split split(String name) {
        Split s = splits.get(name);
        if (s == null) {
            throw new IllegalArgumentException("no split '" + name + "' in manifest (have " + splits.keySet() + ")");
        }
        return s;
    }

    public ShardDtype shardDtype() {
        return ShardDtype.parse(dtype);
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Manifest fromJson(String json) {
        try {
            return JSON.readValue(json, Manifest.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed manifest: " + e.getMessage(), e);
        }
    }

    /** Reads {@code outputUri/manifest.json}; fails clearly when the output is absent or incomplete. */
    public static Manifest read(String outputUri, Configuration conf) {
        Path p = new Path(outputUri, FILE_NAME);
        try (InputStream in = p.getFileSystem(conf).open(p)) {
            return fromJson(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        } catch (FileNotFoundException e) {
            throw new IllegalArgumentException("no " + FILE_NAME + " in " + outputUri
                    + ": not a tokenize output, or the run did not finish (run ./frugal tokenize)", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p + ": " + e.getMessage(), e);
        }
    }

    public static Manifest read(String outputUri) {
        return read(outputUri, new Configuration());
    }

    /** Writes to a temporary name and renames it into place, so readers never see a partial manifest. */
    public void write(String outputUri, Configuration conf) {
        try {
            FileSystem fs = new Path(outputUri).getFileSystem(conf);
            HadoopFiles.writeAtomically(fs, new Path(outputUri, FILE_NAME), toJson().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write manifest to " + outputUri + ": " + e.getMessage(), e);
        }
    }

    /** The path of a file named in this manifest, resolved against the output directory. */
    public static URI resolve(String outputUri, String relative) {
        return new Path(outputUri, relative).toUri();
    }
}
