package io.frugalspark.job.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.frugalspark.job.config.FrugalConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code train --dry-run} figures against ALGORITHMS.md sections 11-12 (vocabulary 32000). */
class DryRunTest {
    private static String dryRun(String... sets) {
        List<String> all = new ArrayList<>(List.of("data.output=/nonexistent/tokens", "data.vocab_size=32000",
                "data.seq_len=256", "train.micro_batch=1", "train.workers=1", "train.global_batch=512"));
        all.addAll(List.of(sets));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DryRun.print(FrugalConfig.load(null, all), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void llama1bIsSizedFromShapesWithoutAllocating() {
        String out = dryRun("model.preset=llama-1b", "optimizer.preset=adamw");
        assertTrue(out.contains("(1339.08M)"), out);
        assertTrue(out.contains("state about 9.98"), out);
        assertTrue(out.contains("not probed"), out);
        assertTrue(out.contains("130,560 tokens per step"), out);
    }

    @Test
    void frugalStateMatchesTheMemoryTable() {
        assertTrue(dryRun("model.preset=llama-350m", "optimizer.preset=frugal-rho0").contains("state about 0.49"));
        assertTrue(dryRun("model.preset=llama-1b", "optimizer.preset=frugal").contains("state about 3.23"));
    }
}
