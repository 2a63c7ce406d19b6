package io.frugalspark.testkit;

import java.net.URI;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * The local file system under a scheme of its own, for test file systems that change one behaviour
 * of a real one (refusing append, failing reads) and are registered with {@code fs.<scheme>.impl}.
 */
public abstract class SchemedLocalFileSystem extends RawLocalFileSystem {
    private final String scheme;

    protected SchemedLocalFileSystem(String scheme) {
        this.scheme = scheme;
    }

    @Override
    public URI getUri() {
        return URI.create(scheme + ":///");
    }

    @Override
    public String getScheme() {
        return scheme;
    }
}
