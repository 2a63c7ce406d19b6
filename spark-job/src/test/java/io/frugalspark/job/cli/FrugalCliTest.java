package io.frugalspark.job.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrugalCliTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return FrugalCli.standard().run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void everyVerbHasHelp() {
        for (String verb : List.of("demo", "tokenize", "train", "eval", "export", "info", "conformance", "bench")) {
            out.reset();
            assertEquals(0, run(verb, "--help"), verb);
            assertTrue(out.toString(StandardCharsets.UTF_8).contains("usage: frugal " + verb), verb + ": " + out);
        }
    }

    @Test
    void helpAfterASubcommandPrintsUsageInsteadOfRunningIt() {
        for (String what : List.of("methods", "soak", "model", "tokenize")) {
            out.reset();
            assertEquals(0, run("bench", what, "--help"), what);
            assertTrue(out.toString(StandardCharsets.UTF_8).contains("usage: frugal bench"), what + ": " + out);
        }
        out.reset();
        assertEquals(0, run("conformance", "vectors.json", "--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("usage: frugal conformance"), out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void unknownVerbAndOptionAreUsageErrors() {
        assertEquals(2, run("fly"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown verb 'fly'"));
        err.reset();
        assertEquals(2, run("info", "--colour"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--colour"));
    }

    @Test
    void badConfigKeyIsReportedBeforeAnyWork() {
        assertEquals(2, run("train", "--set", "train.stepz=3"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("train.stepz"), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void unknownPresetsAreConfigErrorsBeforeSparkStarts() {
        assertEquals(2, run("train", "--set", "optimizer.preset=adamx"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("optimizer.preset: unknown optimizer preset 'adamx'"));
        err.reset();
        assertEquals(2, run("train", "--set", "model.preset=llama-2b"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("model.preset"), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void infoPrintsBackendAndVersions() {
        assertEquals(0, run("info"));
        String s = out.toString(StandardCharsets.UTF_8);
        assertTrue(s.contains("CpuBackend") && s.contains("OPENBLAS") && s.contains("3.5.") && s.contains("17."), s);
    }
}
