package io.frugalspark.job.cli;

import io.frugalspark.job.config.ConfigError;
import io.frugalspark.job.train.DivergenceError;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Entry point of {@code ./frugal} and of the cluster jar: dispatches to a verb. */
public final class FrugalCli {
    private final Map<String, Verb> verbs = new LinkedHashMap<>();

    public FrugalCli(List<Verb> all) {
        all.forEach(v -> verbs.put(v.name(), v));
    }

    public static FrugalCli standard() {
        return new FrugalCli(List.of(
                new DemoVerb(), new TokenizeVerb(), new TrainVerb(), new EvalVerb(), new ExportVerb(),
                new InfoVerb(), new ConformanceVerb(), new BenchVerb()));
    }

    public static void main(String[] args) {
        System.exit(standard().run(args, System.out, System.err));
    }

    /** Runs one command line and returns its exit code (0 ok, 1 failure, 2 usage error, 3 training diverged). */
    public int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("help")) {
            out.print(overview());
            return args.length == 0 ? 2 : 0;
        }
        Verb verb = verbs.get(args[0]);
        if (verb == null) {
            err.println("frugal: unknown verb '" + args[0] + "'\n");
            err.print(overview());
            return 2;
        }
        try {
            String[] rest = Arrays.copyOfRange(args, 1, args.length);
            CliArgs parsed = verb.rawArguments() ? CliArgs.raw(rest) : CliArgs.parse(rest, verb.valuedOptions(), verb.flags());
            if (parsed.help()) {
                out.print(verb.usage());
                return 0;
            }
            return verb.run(parsed, out);
        } catch (ConfigError e) {
            err.println("frugal " + verb.name() + ": " + e.getMessage());
            return 2;
        } catch (DivergenceError e) {
            err.println("frugal " + verb.name() + ": " + e.getMessage());
            return 3;
        } catch (Exception e) {
            err.println("frugal " + verb.name() + " failed: " + e);
            for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
                err.println("  caused by: " + c);
            }
            if (System.getenv("FRUGAL_DEBUG") != null) {
                e.printStackTrace(err);
            }
            return 1;
        }
    }

    private String overview() {
        StringBuilder sb = new StringBuilder("usage: frugal VERB [--config FILE] [--set key=value ...] [--master URL] [options]\n\nverbs:\n");
        verbs.values().forEach(v -> sb.append(String.format("  %-12s %s%n", v.name(), v.summary())));
        sb.append("\n'frugal VERB --help' describes one verb. Configuration keys: README.md, 'Configuration'.\n");
        return sb.toString();
    }
}
