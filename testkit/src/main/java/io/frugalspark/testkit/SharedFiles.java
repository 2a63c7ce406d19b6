package io.frugalspark.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the repository root and the {@code shared/} folder beside it, from tests in any module. */
public final class SharedFiles {
    private SharedFiles() {}

    public static Path repoRoot() {
        String prop = System.getProperty("repo.dir");
        Path start = prop != null ? Path.of(prop) : Path.of("").toAbsolutePath();
        for (Path p = start.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("frugal")) && Files.exists(p.resolve("pom.xml"))) {
                return p;
            }
        }
        throw new IllegalStateException("repository root not found above " + start);
    }

    /** {@code ../shared} beside the repository (CI puts it there). */
    public static Path shared() {
        Path p = repoRoot().resolveSibling("shared");
        if (!Files.isDirectory(p)) {
            throw new IllegalStateException("shared/ not found at " + p + " (CI clones it beside the repository)");
        }
        return p;
    }
}
