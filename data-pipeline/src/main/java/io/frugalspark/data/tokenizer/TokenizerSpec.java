package io.frugalspark.data.tokenizer;

import io.frugalspark.data.HadoopFiles;
import io.frugalspark.data.Manifest;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A serializable description of a tokenizer (kind, name, file bytes) that executors turn into a
 * {@link Tokenizer} once per task, and that is saved beside the shards under {@code tokenizer/}.
 */
public final class TokenizerSpec implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final String BPE = "bpe";
    public static final String JTOKKIT = "jtokkit";
    public static final String HF = "hf";
    static final String RANKS_FILE = "tokenizer/bpe.tiktoken";
    static final String HF_FILE = "tokenizer/tokenizer.json";

    private final String kind;
    private final String name;
    private final byte[] file;

    private TokenizerSpec(String kind, String name, byte[] file) {
        this.kind = kind;
        this.name = name;
        this.file = file;
    }

    public static TokenizerSpec bpe(ByteLevelBpe bpe) {
        return new TokenizerSpec(BPE, "bpe-" + bpe.vocabSize(), bpe.toTiktoken().getBytes(StandardCharsets.UTF_8));
    }

    /** A tiktoken rank file of a byte-level BPE (for example an earlier output's tokenizer/bpe.tiktoken). */
    public static TokenizerSpec bpeFile(String path, Configuration conf) {
        return bpe(ByteLevelBpe.fromTiktoken(new String(readUserFile(path, conf), StandardCharsets.UTF_8)));
    }

    public static TokenizerSpec builtIn(String name) {
        JtokkitTokenizer.builtIn(name); // fail now on an unknown name, not on an executor
        return new TokenizerSpec(JTOKKIT, name, new byte[0]);
    }

    /** A user's tokenizer.json from any Hadoop FileSystem path. */
    public static TokenizerSpec huggingFace(String path, Configuration conf) {
        return new TokenizerSpec(HF, "hf:" + new Path(path).getName(), readUserFile(path, conf));
    }

    private static byte[] readUserFile(String path, Configuration conf) {
        Path p = new Path(path);
        try (InputStream in = p.getFileSystem(conf).open(p)) {
            return in.readAllBytes();
        } catch (FileNotFoundException e) {
            throw new IllegalArgumentException("tokenizer file not found: " + path, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read tokenizer " + path + ": " + e.getMessage(), e);
        }
    }

    public String kind() {
        return kind;
    }

    public String name() {
        return name;
    }

    public Tokenizer open() {
        return switch (kind) {
            case BPE -> JtokkitTokenizer.of(ByteLevelBpe.fromTiktoken(new String(file, StandardCharsets.UTF_8)), name);
            case JTOKKIT -> JtokkitTokenizer.builtIn(name);
            case HF -> new HfTokenizer(file, name);
            default -> throw new IllegalStateException("unknown tokenizer kind " + kind);
        };
    }

    public List<String> files() {
        return switch (kind) {
            case BPE -> List.of(RANKS_FILE, HF_FILE);
            case HF -> List.of(HF_FILE);
            default -> List.of();
        };
    }

    public String sha256() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update((kind + ":" + name + ":").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(md.digest(file));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public Manifest.TokenizerInfo info() {
        return new Manifest.TokenizerInfo(kind, name, sha256(), files());
    }

    /** Writes the tokenizer's files under the output directory; the last one written marks them complete. */
    public void save(String outputUri, Configuration conf) {
        try {
            FileSystem fs = new Path(outputUri).getFileSystem(conf);
            if (kind.equals(BPE)) {
                HadoopFiles.writeAtomically(fs, new Path(outputUri, RANKS_FILE), file);
                String hf = ByteLevelBpe.fromTiktoken(new String(file, StandardCharsets.UTF_8)).toHuggingFaceJson();
                HadoopFiles.writeAtomically(fs, new Path(outputUri, HF_FILE), hf.getBytes(StandardCharsets.UTF_8));
            } else if (kind.equals(HF)) {
                HadoopFiles.writeAtomically(fs, new Path(outputUri, HF_FILE), file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save tokenizer under " + outputUri + ": " + e.getMessage(), e);
        }
    }

    /**
     * The tokenizer saved by an earlier (maybe interrupted) run of the same config, or null if incomplete.
     * @param name used for built-in and HF kinds; a BPE's name follows from its file
     */
    public static TokenizerSpec readSaved(String outputUri, String kind, String name, Configuration conf) {
        try {
            FileSystem fs = new Path(outputUri).getFileSystem(conf);
            return switch (kind) {
                case JTOKKIT -> builtIn(name);
                case BPE -> fs.exists(new Path(outputUri, HF_FILE))
                        ? bpe(ByteLevelBpe.fromTiktoken(new String(read(fs, new Path(outputUri, RANKS_FILE)), StandardCharsets.UTF_8))) : null;
                case HF -> fs.exists(new Path(outputUri, HF_FILE)) ? new TokenizerSpec(HF, name, read(fs, new Path(outputUri, HF_FILE))) : null;
                default -> throw new IllegalArgumentException("unknown tokenizer kind " + kind);
            };
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the tokenizer under " + outputUri + ": " + e.getMessage(), e);
        }
    }

    static TokenizerSpec fromOutput(String outputUri, Manifest.TokenizerInfo info, Configuration conf) {
        TokenizerSpec spec = readSaved(outputUri, info.kind(), info.name(), conf);
        if (spec == null || !spec.sha256().equals(info.sha256())) {
            throw new IllegalStateException("tokenizer files under " + outputUri + " are missing or do not match the manifest");
        }
        return spec;
    }

    private static byte[] read(FileSystem fs, Path p) throws IOException {
        try (InputStream in = fs.open(p)) {
            return in.readAllBytes();
        }
    }
}
