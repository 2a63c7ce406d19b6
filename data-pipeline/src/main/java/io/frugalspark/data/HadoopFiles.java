package io.frugalspark.data;

import java.io.IOException;
import java.io.OutputStream;
import java.util.UUID;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Small Hadoop FileSystem helpers shared by the job and the manifest. */
public final class HadoopFiles {
    private HadoopFiles() {}

    /** Writes beside the target and renames onto it, so a reader sees the old file or the whole new one. */
    public static void writeAtomically(FileSystem fs, Path target, byte[] bytes) throws IOException {
        Path tmp = new Path(target.getParent(), "." + target.getName() + "." + UUID.randomUUID() + ".tmp");
        try (OutputStream out = fs.create(tmp, true)) {
            out.write(bytes);
        }
        moveInto(fs, tmp, target);
    }

    /** Renames src onto target, replacing it (HDFS's rename does not replace). */
    public static void moveInto(FileSystem fs, Path src, Path target) throws IOException {
        fs.mkdirs(target.getParent());
        if (fs.exists(target)) {
            fs.delete(target, false);
        }
        if (!fs.rename(src, target)) {
            throw new IOException("cannot rename " + src + " to " + target);
        }
    }
}
