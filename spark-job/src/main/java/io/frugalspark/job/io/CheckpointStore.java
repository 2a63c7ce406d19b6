package io.frugalspark.job.io;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Checkpoints on any Hadoop FileSystem: one directory per step, written under a temporary name,
 * renamed, and marked committed last (a {@code _COMMITTED} file), so a crash at any point never
 * leaves a directory that looks complete.
 *
 * <p>Integrity: every file is hashed (SHA-256) as it is written, and the hashes go into
 * {@code _MANIFEST.sha256} (the format of {@code sha256sum}, one {@code HEX  NAME} line per file)
 * inside the temporary directory before the rename; {@code _COMMITTED} then holds the manifest's
 * own line, so a lost or edited manifest is detected too. Both check by hand with
 * {@code sha256sum -c _COMMITTED && sha256sum -c _MANIFEST.sha256} in a local copy. A checkpoint is
 * verified before it is used and at most once per store: "latest" skips corrupt ones (with a
 * warning naming each file, expected and actual hash) and fails, naming them, when committed
 * checkpoints exist but none verifies; an explicit directory must verify. Checkpoints written
 * before manifests existed (an empty marker, no manifest) are accepted with a warning. Pruning keeps
 * the newest {@code keep} verified checkpoints; corrupt ones never count and are never deleted.
 */
public final class CheckpointStore {
    public static final String COMMITTED = "_COMMITTED";
    public static final String MANIFEST = "_MANIFEST.sha256";
    private static final String PREFIX = "step-";
    private static final Pattern TEMPORARY = Pattern.compile("\\." + PREFIX + "(\\d+)\\.tmp-.*");
    private static final Pattern LINE = Pattern.compile("([0-9a-f]{64}) [ *](.+)");
    private final FileSystem fs;
    /** Hashes are taken from the bytes as stored: a local file system's .crc files are not consulted. */
    private final FileSystem raw;
    private final Path root;
    private final int keep;
    private final Consumer<String> warnings;
    private final Map<Path, Verdict> verdicts = new HashMap<>();

    public CheckpointStore(String dir, Configuration hadoop, int keep) throws IOException {
        this(dir, hadoop, keep, System.err::println);
    }

    /** {@code warnings} receives one line per checkpoint skipped, moved aside or accepted unverified. */
    public CheckpointStore(String dir, Configuration hadoop, int keep, Consumer<String> warnings) throws IOException {
        this.root = new Path(dir);
        this.fs = FileSystem.get(URI.create(dir).getScheme() == null ? root.toUri() : URI.create(dir), hadoop);
        this.raw = fs instanceof ChecksumFileSystem c ? c.getRawFileSystem() : fs;
        this.keep = Math.max(1, keep);
        this.warnings = warnings;
    }

    /** A writer for a new checkpoint of {@code step}; nothing is visible until {@link Writer#commit()}. */
    public Writer begin(long step) throws IOException {
        Path tmp = new Path(root, "." + name(step) + ".tmp-" + UUID.randomUUID());
        fs.mkdirs(tmp);
        return new Writer(step, tmp);
    }

    /**
     * The newest committed checkpoint that verifies (or predates manifests), if any is committed;
     * corrupt newer ones are skipped with a warning. Throws, naming every problem, when committed
     * checkpoints exist and none verifies: starting fresh would silently throw the run away.
     */
    public Optional<Path> latest() throws IOException {
        List<Path> all = committed();
        List<String> rejected = new ArrayList<>();
        for (int i = all.size() - 1; i >= 0; i--) {
            Verdict v = verify(all.get(i));
            if (v.ok()) {
                for (String r : rejected) {
                    warnings.accept("warning: skipping corrupt checkpoint " + r + "; using " + all.get(i));
                }
                return Optional.of(all.get(i));
            }
            rejected.add(all.get(i) + " (" + v.describe() + ")");
        }
        if (rejected.isEmpty()) {
            return Optional.empty();
        }
        throw new IOException("no committed checkpoint under " + root + " verifies (not starting fresh; move them aside"
                + " to start over): " + String.join("; ", rejected));
    }

    /** "latest" or an explicit directory; an explicit one must be committed and verify. */
    public Optional<Path> resolve(String spec) throws IOException {
        if (spec.equals("latest")) {
            return latest();
        }
        Path p = new Path(spec);
        if (!fs.exists(new Path(p, COMMITTED))) {
            throw new IOException("checkpoint " + p + " is not committed (no " + COMMITTED + " marker)");
        }
        Verdict v = verify(p);
        if (!v.ok()) {
            throw new IOException("checkpoint " + p + " is corrupt: " + v.describe());
        }
        return Optional.of(p);
    }

    /** Committed checkpoints, oldest first, verified or not. */
    public List<Path> committed() throws IOException {
        List<Path> out = new ArrayList<>();
        if (!fs.exists(root)) {
            return out;
        }
        for (FileStatus st : fs.listStatus(root)) {
            String n = st.getPath().getName();
            if (st.isDirectory() && n.startsWith(PREFIX) && fs.exists(new Path(st.getPath(), COMMITTED))) {
                out.add(st.getPath());
            }
        }
        out.sort(Comparator.comparingLong(CheckpointStore::stepOf));
        return out;
    }

    /** What the checkpoint's files look like against its manifest, computed once per store. */
    Verdict verify(Path checkpoint) throws IOException {
        Path key = fs.makeQualified(checkpoint);
        Verdict v = verdicts.get(key);
        if (v == null) {
            v = check(key);
            verdicts.put(key, v);
            if (v.legacy()) {
                warnings.accept("warning: checkpoint " + key + " is not verified: written before integrity manifests");
            }
        }
        return v;
    }

    public static long stepOf(Path checkpoint) {
        return Long.parseLong(checkpoint.getName().substring(PREFIX.length()));
    }

    public FileSystem fileSystem() {
        return fs;
    }

    public InputStream open(Path checkpoint, String file) throws IOException {
        return fs.open(new Path(checkpoint, file));
    }

    private static String name(long step) {
        return String.format("%s%08d", PREFIX, step);
    }

    /** The marker names the manifest's hash (empty before manifests existed); the manifest names every file's. */
    private Verdict check(Path cp) throws IOException {
        List<String> problems = new ArrayList<>();
        Map<String, String> marker = hashes(cp, COMMITTED, problems);
        if (marker.isEmpty() && problems.isEmpty() && !fs.exists(new Path(cp, MANIFEST))) {
            return Verdict.LEGACY;
        }
        compare(cp, marker, COMMITTED, problems);
        if (problems.isEmpty()) {
            compare(cp, hashes(cp, MANIFEST, problems), MANIFEST, problems);
        }
        return new Verdict(false, problems);
    }

    /** Name to hex hash from a sha256sum-format file; a malformed line is a problem. */
    private Map<String, String> hashes(Path cp, String file, List<String> problems) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        String text;
        try (InputStream in = raw.open(new Path(cp, file))) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        for (String line : text.lines().toList()) {
            Matcher m = LINE.matcher(line);
            if (m.matches()) {
                out.put(m.group(2), m.group(1));
            } else {
                problems.add(new Path(cp, file) + ": malformed line '" + line + "'");
            }
        }
        return out;
    }

    private void compare(Path cp, Map<String, String> expected, String listedIn, List<String> problems) throws IOException {
        for (Map.Entry<String, String> e : expected.entrySet()) {
            Path f = new Path(cp, e.getKey());
            try (InputStream in = raw.open(f)) {
                Hash actual = Hash.of(in);
                if (!actual.hex().equals(e.getValue())) {
                    problems.add(f + ": sha256 expected " + e.getValue() + ", actual " + actual.hex() + " (" + actual.bytes() + " bytes)");
                }
            } catch (FileNotFoundException missing) {
                problems.add(f + ": missing (listed in " + listedIn + ")");
            }
        }
    }

    /** Walks newest first: verified ones count toward keep, older ones than the keep-th go; corrupt ones stay. */
    private void prune() throws IOException {
        List<Path> all = committed();
        int kept = 0;
        for (int i = all.size() - 1; i >= 0; i--) {
            Path cp = all.get(i);
            Verdict v = verify(cp);
            if (kept >= keep && v.ok()) {
                fs.delete(cp, true);
                verdicts.remove(fs.makeQualified(cp));
            } else if (v.ok() && !v.legacy()) {
                kept++;
            }
        }
    }

    /**
     * Deletes the temporary directories of writes of {@code step} or earlier that never committed (a
     * driver killed mid-write, a write that hit a quota): once {@code step} is committed they are dead,
     * and left alone they keep their bytes, against a quota too.
     */
    private void sweep(long step) throws IOException {
        for (FileStatus st : fs.listStatus(root)) {
            Matcher m = TEMPORARY.matcher(st.getPath().getName());
            if (m.matches() && Long.parseLong(m.group(1)) <= step) {
                fs.delete(st.getPath(), true);
            }
        }
    }

    /** A directory already at {@code dst}: an uncommitted or superseded attempt goes, a corrupt one is moved aside. */
    private void clear(Path dst) throws IOException {
        if (!fs.exists(dst)) {
            return;
        }
        if (fs.exists(new Path(dst, COMMITTED)) && !verify(dst).ok()) {
            Path aside = new Path(root, "corrupt-" + dst.getName() + "-" + UUID.randomUUID());
            rename(dst, aside);
            warnings.accept("warning: moved corrupt checkpoint " + dst + " to " + aside + " (kept for inspection)");
        } else {
            fs.delete(dst, true);
        }
        verdicts.remove(fs.makeQualified(dst));
    }

    private void rename(Path from, Path to) throws IOException {
        if (!fs.rename(from, to)) {
            throw new IOException("cannot rename " + from + " to " + to);
        }
    }

    private void write(Path file, byte[] bytes) throws IOException {
        try (OutputStream out = fs.create(file, true)) {
            out.write(bytes);
        }
    }

    private static String line(String file, String hex) {
        return hex + "  " + file + "\n";
    }

    /** The result of verifying one checkpoint; {@code problems} name each file and how it differs. */
    record Verdict(boolean legacy, List<String> problems) {
        static final Verdict LEGACY = new Verdict(true, List.of());
        static final Verdict VERIFIED = new Verdict(false, List.of());

        boolean ok() {
            return problems.isEmpty();
        }

        String describe() {
            return String.join(", ", problems);
        }
    }

    /** A SHA-256 and the number of bytes it covers. */
    record Hash(String hex, long bytes) {
        static MessageDigest sha256() {
            try {
                return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java platform has SHA-256", e);
            }
        }

        static Hash of(InputStream in) throws IOException {
            MessageDigest d = sha256();
            byte[] buf = new byte[1 << 20];
            long total = 0;
            for (int n; (n = in.read(buf)) > 0; total += n) {
                d.update(buf, 0, n);
            }
            return new Hash(hex(d), total);
        }

        static String hex(MessageDigest d) {
            return java.util.HexFormat.of().formatHex(d.digest());
        }
    }

    /** Passes bytes to the file and into a SHA-256; reports the hash once the file closed cleanly. */
    private static final class HashingStream extends OutputStream {
        private final OutputStream out;
        private final MessageDigest digest = Hash.sha256();
        private final Consumer<String> onClosed;
        private boolean closed;
        /** The first write failure: HDFS's stream throws that same object again from close(). */
        private IOException failed;

        HashingStream(OutputStream out, Consumer<String> onClosed) {
            this.out = out;
            this.onClosed = onClosed;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                failed = e;
                throw e;
            }
            digest.update(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            try {
                out.close();
            } catch (IOException e) {
                // Rethrowing the write's own exception from close makes try-with-resources fail with
                // "Self-suppression not permitted" instead of it (seen with a DiskSpace quota on HDFS).
                if (e != failed) {
                    throw e;
                }
            }
            if (failed == null) {
                onClosed.accept(Hash.hex(digest)); // an incomplete file never gets a hash, so never commits
            }
        }
    }

    /** Files of one checkpoint in progress, each hashed as it is written. */
    public final class Writer {
        private final long step;
        private final Path tmp;
        private final Map<String, String> hashes = new TreeMap<>();
        private final Set<String> open = new HashSet<>();

        private Writer(long step, Path tmp) {
            this.step = step;
            this.tmp = tmp;
        }

        /** A new file of the checkpoint; its hash is recorded when the stream closes. */
        public OutputStream create(String file) throws IOException {
            if (file.startsWith("_") || file.contains("/") || file.contains("\n")) {
                throw new IllegalArgumentException("checkpoint file name '" + file + "': no '/' or newline, no leading '_' (markers)");
            }
            OutputStream out = fs.create(new Path(tmp, file), false);
            open.add(file);
            return new HashingStream(out, hex -> {
                hashes.put(file, hex);
                open.remove(file);
            });
        }

        /** Copies a local file in, hashing it on the way: one read of the file, as a plain copy takes. */
        public void copyFromLocal(java.nio.file.Path local, String file) throws IOException {
            try (InputStream in = Files.newInputStream(local); OutputStream out = create(file)) {
                in.transferTo(out);
            }
        }

        /** Manifest, rename into place, then the marker naming the manifest's hash; returns the committed directory. */
        public Path commit() throws IOException {
            if (!open.isEmpty()) {
                throw new IOException("checkpoint " + tmp + ": " + open + " not closed before commit");
            }
            StringBuilder manifest = new StringBuilder();
            hashes.forEach((file, hex) -> manifest.append(line(file, hex)));
            byte[] bytes = manifest.toString().getBytes(StandardCharsets.UTF_8);
            write(new Path(tmp, MANIFEST), bytes);
            Path dst = new Path(root, name(step));
            clear(dst);
            rename(tmp, dst);
            MessageDigest d = Hash.sha256();
            d.update(bytes);
            write(new Path(dst, COMMITTED), line(MANIFEST, Hash.hex(d)).getBytes(StandardCharsets.UTF_8));
            verdicts.put(fs.makeQualified(dst), Verdict.VERIFIED);
            sweep(step);
            prune();
            return dst;
        }
    }
}
