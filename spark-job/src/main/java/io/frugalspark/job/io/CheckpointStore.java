package io.frugalspark.job.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Checkpoints on any Hadoop FileSystem: one directory per step, written under a temporary name,
 * renamed, and marked committed last (a {@code _COMMITTED} file), so a crash at any point never
 * leaves a directory that looks complete. Only the newest {@code keep} committed ones are kept.
 */
public final class CheckpointStore {
    public static final String COMMITTED = "_COMMITTED";
    private static final String PREFIX = "step-";
    private final FileSystem fs;
    private final Path root;
    private final int keep;

    public CheckpointStore(String dir, Configuration hadoop, int keep) throws IOException {
        this.root = new Path(dir);
        this.fs = FileSystem.get(URI.create(dir).getScheme() == null ? root.toUri() : URI.create(dir), hadoop);
        this.keep = Math.max(1, keep);
    }

    /** A writer for a new checkpoint of {@code step}; nothing is visible until {@link Writer#commit()}. */
    public Writer begin(long step) throws IOException {
        Path tmp = new Path(root, "." + name(step) + ".tmp-" + UUID.randomUUID());
        fs.mkdirs(tmp);
        return new Writer(step, tmp);
    }

    /** The newest committed checkpoint, if any. */
    public Optional<Path> latest() throws IOException {
        List<Path> all = committed();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /** "latest" or an explicit directory; an explicit one must be committed. */
    public Optional<Path> resolve(String spec) throws IOException {
        if (spec.equals("latest")) {
            return latest();
        }
        Path p = new Path(spec);
        if (!fs.exists(new Path(p, COMMITTED))) {
            throw new IOException("checkpoint " + p + " is not committed (no " + COMMITTED + " marker)");
        }
        return Optional.of(p);
    }

    /** Committed checkpoints, oldest first. */
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

    private void prune() throws IOException {
        List<Path> all = committed();
        for (int i = 0; i < all.size() - keep; i++) {
            fs.delete(all.get(i), true);
        }
    }

    /** Files of one checkpoint in progress. */
    public final class Writer {
        private final long step;
        private final Path tmp;

        private Writer(long step, Path tmp) {
            this.step = step;
            this.tmp = tmp;
        }

        public OutputStream create(String file) throws IOException {
            return fs.create(new Path(tmp, file), false);
        }

        public void copyFromLocal(java.nio.file.Path local, String file) throws IOException {
            fs.copyFromLocalFile(false, true, new Path(local.toUri()), new Path(tmp, file));
        }

        /** Rename into place, then write the marker; returns the committed directory. */
        public Path commit() throws IOException {
            Path dst = new Path(root, name(step));
            if (fs.exists(dst)) {
                fs.delete(dst, true); // an uncommitted leftover of an earlier attempt at this step
            }
            if (!fs.rename(tmp, dst)) {
                throw new IOException("cannot rename " + tmp + " to " + dst);
            }
            fs.create(new Path(dst, COMMITTED), true).close();
            prune();
            return dst;
        }
    }
}
