package io.frugalspark.job.cli;

import io.frugalspark.job.config.ConfigError;
import io.frugalspark.job.config.FrugalConfig;
import java.io.File;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parsed command line of one verb: {@code --config FILE}, repeated {@code --set key=value},
 * {@code --master URL}, the verb's own options and flags, and positional arguments.
 */
public final class CliArgs {
    private final List<String> positional = new ArrayList<>();
    private final List<String> sets = new ArrayList<>();
    private final Map<String, String> options = new LinkedHashMap<>();
    private final List<String> flags = new ArrayList<>();

    /**
     * @param valued option names (without dashes) that take a value
     * @param flagNames option names that take none
     */
    public static CliArgs parse(String[] args, Set<String> valued, Set<String> flagNames) {
        CliArgs a = new CliArgs();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                a.positional.add(arg);
                continue;
            }
            String name = arg.substring(2);
            String inline = null;
            int eq = name.indexOf('=');
            if (eq > 0 && !name.startsWith("set")) {
                inline = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (name.equals("set")) {
                a.sets.add(value(args, ++i, "--set"));
            } else if (name.equals("config") || name.equals("master") || valued.contains(name)) {
                a.options.put(name, inline != null ? inline : value(args, ++i, "--" + name));
            } else if (name.equals("help") || flagNames.contains(name)) {
                a.flags.add(name);
            } else {
                throw new ConfigError("unknown option '" + arg + "' (see --help)");
            }
        }
        return a;
    }

    /**
     * Arguments kept as they are (positional), except that --help anywhere is recognised: `bench methods
     * --help` must print the usage, not start an hour of benchmarking.
     */
    public static CliArgs raw(String[] args) {
        CliArgs a = new CliArgs();
        a.positional.addAll(java.util.Arrays.asList(args));
        if (a.positional.contains("--help")) {
            a.flags.add("help");
        }
        return a;
    }

    private static String value(String[] args, int i, String name) {
        if (i >= args.length) {
            throw new ConfigError(name + " needs a value");
        }
        return args[i];
    }

    public boolean help() {
        return flags.contains("help");
    }

    public boolean flag(String name) {
        return flags.contains(name);
    }

    public String option(String name, String fallback) {
        return options.getOrDefault(name, fallback);
    }

    public List<String> positional() {
        return Collections.unmodifiableList(positional);
    }

    /** The resolved config: defaults, then --config, then each --set in order. */
    public FrugalConfig config() {
        return config(null);
    }

    /** The resolved config with a preset resource under the user's file and sets. */
    public FrugalConfig config(String presetResource) {
        return config(presetResource, List.of());
    }

    /** As {@link #config(String)} with {@code defaults} (key=value) applied before the user's own --set. */
    public FrugalConfig config(String presetResource, List<String> defaults) {
        String file = options.get("config");
        List<String> all = new ArrayList<>(defaults);
        all.addAll(sets);
        return FrugalConfig.load(presetResource, file == null ? null : new File(file), all);
    }
}
