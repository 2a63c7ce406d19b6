package io.frugalspark.optim.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.frugalspark.optim.schedule.CyclicCosine;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

/**
 * Replays a vectors file (frugal-vectors.json format): one line per scenario and per lr_lambda
 * table, then "N passed, M failed".
 */
public final class ConformanceRunner {

    /** Totals of one replay. */
    public record Result(int passed, int failed) {
        public boolean ok() {
            return failed == 0;
        }
    }

    private ConformanceRunner() {
    }

    public static Result run(Path file, PrintStream out) throws IOException {
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        JsonNode scenarios = root.get("scenarios");
        if (scenarios == null || !scenarios.isArray()) {
            throw new VectorsError("(file)", "scenarios", "missing field");
        }
        int passed = 0;
        int failed = 0;
        for (int i = 0; i < scenarios.size(); i++) {
            ScenarioReplay.Outcome o = new ScenarioReplay(scenarios.get(i), i).run();
            out.println(line(o));
            if (o.passed()) passed++; else failed++;
        }
        JsonNode tables = root.path("lr_lambda");
        for (int i = 0; i < tables.size(); i++) {
            String fail = lrLambda(tables.get(i), i);
            out.printf("%s lr_lambda[%d]%s%n", fail == null ? "PASS" : "FAIL", i, fail == null ? "" : ": " + fail);
            if (fail == null) passed++; else failed++;
        }
        out.println(passed + " passed, " + failed + " failed");
        return new Result(passed, failed);
    }

    private static String line(ScenarioReplay.Outcome o) {
        String svd = o.svdError() > 0 ? String.format("  own-svd projector %.1e", o.svdError()) : "";
        return o.passed()
                ? String.format("PASS %-36s %d steps  max|diff| %.1e (tol %.0e)%s", o.name(), o.steps(), o.maxError(), o.tolerance(), svd)
                : String.format("FAIL %-36s %s", o.name(), o.failure());
    }

    /** Null when every tabulated multiplier matches {@link CyclicCosine} to 1e-12. */
    private static String lrLambda(JsonNode table, int index) {
        Fields f = new Fields("lr_lambda[" + index + "]");
        JsonNode args = f.get(table, "args", "");
        CyclicCosine c = new CyclicCosine((long) f.number(args, "num_warmup_steps", "args"),
                (long) f.number(args, "cycle_length", "args"), f.number(args, "min_lr_ratio", "args"));
        for (Iterator<Map.Entry<String, JsonNode>> it = f.get(table, "values", "").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            double got = c.multiplier(Long.parseLong(e.getKey()));
            if (Math.abs(got - e.getValue().asDouble()) > ScenarioReplay.TOL) {
                return "step " + e.getKey() + ": " + got + " != " + e.getValue().asDouble();
            }
        }
        return null;
    }
}
