package io.frugalspark.job.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** A one-line description of the machine, for results files. */
public final class Machine {
    private Machine() {}

    /**
     * e.g. "AMD EPYC (family 23 model 1), 2 cores, Java 17.0.15, OPENBLAS_CORETYPE unset": the family
     * and model tell apart processors that share a marketing name (a Zen 1 and a Zen 5 both say "AMD EPYC").
     */
    public static String describe() {
        String cpu = "unknown CPU";
        try {
            List<String> info = Files.readAllLines(Path.of("/proc/cpuinfo"));
            cpu = field(info, "model name").orElse(cpu);
            Optional<String> family = field(info, "cpu family");
            Optional<String> model = field(info, "model");
            if (family.isPresent() && model.isPresent()) {
                cpu += " (family " + family.get() + " model " + model.get() + ")";
            }
        } catch (IOException ignored) {
            // not Linux: keep the generic name
        }
        String coretype = System.getenv("OPENBLAS_CORETYPE");
        return cpu + ", " + Runtime.getRuntime().availableProcessors() + " cores, Java " + System.getProperty("java.version")
                + ", OPENBLAS_CORETYPE " + (coretype == null ? "unset" : coretype);
    }

    private static Optional<String> field(List<String> cpuinfo, String name) {
        return cpuinfo.stream().map(l -> l.split(":", 2)).filter(kv -> kv.length == 2 && kv[0].trim().equals(name)).findFirst()
                .map(kv -> kv[1].trim());
    }
}
