package io.frugalspark.job.io;

import io.frugalspark.testkit.SchemedLocalFileSystem;
import java.io.IOException;
import org.apache.hadoop.fs.CommonPathCapabilities;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.util.Progressable;

/**
 * The local file system under the scheme "noappend:", refusing append as S3A and other object
 * stores do (UnsupportedOperationException, no FS_APPEND capability). Register with
 * {@code fs.noappend.impl}.
 */
public final class NoAppendFileSystem extends SchemedLocalFileSystem {
    public static final String SCHEME = "noappend";

    public NoAppendFileSystem() {
        super(SCHEME);
    }

    @Override
    public FSDataOutputStream append(Path f, int bufferSize, Progressable progress) {
        throw new UnsupportedOperationException("append is not supported by " + SCHEME);
    }

    @Override
    public boolean hasPathCapability(Path path, String capability) throws IOException {
        return !capability.equalsIgnoreCase(CommonPathCapabilities.FS_APPEND) && super.hasPathCapability(path, capability);
    }
}
