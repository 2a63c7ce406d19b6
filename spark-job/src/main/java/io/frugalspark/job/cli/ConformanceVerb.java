package io.frugalspark.job.cli;

import io.frugalspark.optim.conformance.ConformanceRunner;
import java.io.PrintStream;
import java.nio.file.Path;

/** Replays recorded reference optimizer runs; exit 1 when any scenario fails. */
final class ConformanceVerb implements Verb {
    @Override
    public String name() {
        return "conformance";
    }

    @Override
    public String summary() {
        return "Replay recorded reference optimizer runs (frugal-vectors.json format)";
    }

    @Override
    public String usage() {
        return "usage: frugal conformance [VECTORS.json]\n\n"
                + "Replays recorded reference optimizer runs (frugal-vectors.json format): one line per scenario\n"
                + "and lr_lambda table, then 'N passed, M failed'. Exits 1 on any failure.\n"
                + "Default file: ../shared/reference/frugal-vectors.json beside the repository.\n";
    }

    @Override
    public int run(CliArgs args, PrintStream out) throws Exception {
        if (args.positional().size() > 1) {
            System.err.println("frugal conformance: expected at most one vectors file");
            return 2;
        }
        Path file = args.positional().isEmpty() ? defaultFile() : Path.of(args.positional().get(0));
        return ConformanceRunner.run(file, out).ok() ? 0 : 1;
    }

    private static Path defaultFile() {
        String home = System.getProperty("frugal.home", ".");
        return Path.of(home).resolve("../shared/reference/frugal-vectors.json").normalize();
    }
}
