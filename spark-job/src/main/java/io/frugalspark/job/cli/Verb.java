package io.frugalspark.job.cli;

import java.io.PrintStream;
import java.util.Set;

/** One sub-command of {@code ./frugal}. Verbs return an exit code; they never call System.exit. */
public interface Verb {
    String name();

    /** One line for the verb list. */
    String summary();

    /** Full --help text. */
    String usage();

    default Set<String> valuedOptions() {
        return Set.of();
    }

    default Set<String> flags() {
        return Set.of();
    }

    /** Verbs that hand their arguments on (bench) get them unparsed, as positional arguments. */
    default boolean rawArguments() {
        return false;
    }

    int run(CliArgs args, PrintStream out) throws Exception;
}
