package io.frugalspark.optim.conformance;

import java.nio.file.Path;

/** {@code java ... Main FILE}: replays a vectors file, exit status 1 on any failure. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: Main VECTORS.json");
            System.exit(2);
        }
        System.exit(ConformanceRunner.run(Path.of(args[0]), System.out).ok() ? 0 : 1);
    }
}
