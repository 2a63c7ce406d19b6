package io.frugalspark.job.faults;

import io.frugalspark.job.io.CheckpointStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** What an unfaulted run produces, to compare faulted runs against: metrics rows and hashes of the outputs. */
record Reference(Map<Long, Snapshot.Row> rows, String modelSha256) {
    static Reference of(CheckpointStore store, Path metricsFile) throws IOException {
        return new Reference(Snapshot.rows(metricsFile), finalModelSha256(store));
    }

    /** The SHA-256 of model.safetensors in the newest verified checkpoint ("none" without one). */
    static String finalModelSha256(CheckpointStore store) throws IOException {
        var latest = store.latest();
        if (latest.isEmpty()) {
            return "none";
        }
        try (InputStream in = store.open(latest.get(), "model.safetensors")) {
            return sha256(in);
        }
    }

    /** Same steps with the same values (line lengths differ with timings and paths), and the same final model bytes. */
    boolean matches(CheckpointStore store, Path metricsFile) throws IOException {
        return values(rows).equals(values(Snapshot.rows(metricsFile))) && modelSha256.equals(finalModelSha256(store));
    }

    private static Map<Long, List<Object>> values(Map<Long, Snapshot.Row> rows) {
        Map<Long, List<Object>> out = new TreeMap<>();
        rows.forEach((step, row) -> out.put(step, row.values()));
        return out;
    }

    /**
     * Relative name to SHA-256 of every regular file under {@code dir} (hidden .crc side files excluded).
     * The manifest records the output directory it was written to; that path is hashed as "OUTPUT" so
     * outputs written to two directories compare by everything else.
     */
    static Map<String, String> tree(Path dir) throws IOException {
        Map<String, String> out = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith(".")).toList()) {
                String name = dir.relativize(f).toString();
                try (InputStream in = name.equals("manifest.json") ? withoutOutputPath(f, dir) : Files.newInputStream(f)) {
                    out.put(name, sha256(in));
                }
            }
        }
        return out;
    }

    private static InputStream withoutOutputPath(Path manifest, Path dir) throws IOException {
        String text = Files.readString(manifest, StandardCharsets.UTF_8).replace(dir.toString(), "OUTPUT");
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    static String sha256(InputStream in) throws IOException {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                d.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
