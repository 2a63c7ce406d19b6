package io.frugalspark.job.io;

import java.io.IOException;
import java.net.URI;
import org.apache.hadoop.fs.CommonPathCapabilities;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.util.Progressable;

/**
 * The local file system under the scheme "noappend:", refusing append as S3A and other object
 * stores do (UnsupportedOperationException, no FS_APPEND capability). Register with
 * {@code fs.noappend.impl}.
 */
public final class NoAppendFileSystem extends RawLocalFileSystem {
    public static final String SCHEME = "noappend";

    @Override
    public URI getUri() {
        return URI.create(SCHEME + ":///");
    }

    @Override
    public String getScheme() {
        return SCHEME;
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
