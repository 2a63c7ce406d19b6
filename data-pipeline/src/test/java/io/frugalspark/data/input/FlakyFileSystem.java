package io.frugalspark.data.input;

import io.frugalspark.testkit.SchemedLocalFileSystem;
import java.io.IOException;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSInputStream;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;

/**
 * The local file system under the scheme "flaky:", except that in a Spark task's first attempt
 * every read fails after 64 KiB with an IOException, as a lost datanode or network does. Register
 * with {@code fs.flaky.impl} to see how the job behaves under real task retries.
 */
public final class FlakyFileSystem extends SchemedLocalFileSystem {
    public static final String SCHEME = "flaky";

    public FlakyFileSystem() {
        super(SCHEME);
    }

    @Override
    public FSDataInputStream open(Path f, int bufferSize) throws IOException {
        FSDataInputStream real = super.open(f, bufferSize);
        TaskContext task = TaskContext.get();
        return task != null && task.attemptNumber() == 0 ? new FSDataInputStream(new Failing(real)) : real;
    }

    private static final class Failing extends FSInputStream {
        private final FSDataInputStream in;

        Failing(FSDataInputStream in) {
            this.in = in;
        }

        private void check() throws IOException {
            if (in.getPos() > 64 * 1024) {
                throw new IOException("injected: connection reset while reading");
            }
        }

        @Override
        public int read() throws IOException {
            check();
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            check();
            return in.read(b, off, len);
        }

        @Override
        public void seek(long pos) throws IOException {
            in.seek(pos);
        }

        @Override
        public long getPos() throws IOException {
            return in.getPos();
        }

        @Override
        public boolean seekToNewSource(long targetPos) {
            return false;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
