package io.frugalspark.job.bench;

import io.frugalspark.data.TokenizeJob;
import io.frugalspark.data.shard.UnigramBaseline;
import io.frugalspark.job.config.FrugalConfig;
import io.frugalspark.job.io.LossPlot;
import io.frugalspark.job.train.ParameterAveragingTrainer;
import io.frugalspark.job.train.TrainResult;
import io.frugalspark.optim.Presets;
import io.frugalspark.optim.method.Compared;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * {@code ./frugal bench methods}: every method on the same data, model and token budget, a 3-value
 * learning-rate sweep each (best final validation perplexity kept), 3 seeds for AdamW and FRUGAL at
 * their best lr; writes a markdown table and the best runs' loss curves.
 */
public final class MethodComparison {
    /** The rows: the papers' methods from the optimizers module, each with its learning-rate sweep. */
    static final List<Compared> METHODS = Presets.comparison();
    static final List<String> SEEDED = List.of("AdamW", "FRUGAL rho 0.25");
    static final long[] SEEDS = {42, 43, 44};

    private final JavaSparkContext sc;
    private final FrugalConfig base;
    private final Path outDir;
    private final PrintStream log;

    public MethodComparison(JavaSparkContext sc, FrugalConfig base, Path outDir, PrintStream log) {
        this.sc = sc;
        this.base = base;
        this.outDir = outDir;
        this.log = log;
    }

    /** One finished run. */
    record Run(Compared method, double lr, long seed, TrainResult result, Path metrics) {}

    public Path run(Function<FrugalConfig, String> tokenize) throws IOException {
        String tokens = tokenize.apply(base);
        double unigram = UnigramBaseline.perplexity(tokens);
        List<Run> best = new ArrayList<>();
        List<String> rows = new ArrayList<>();
        for (Compared m : METHODS) {
            Run top = null;
            for (double lr : m.lrs()) {
                Run r = train(m, lr, SEEDS[0]);
                if (top == null || r.result().finalPerplexity() < top.result().finalPerplexity()) {
                    top = r;
                }
            }
            List<Run> seeds = new ArrayList<>(List.of(top));
            if (SEEDED.contains(m.label())) {
                for (int i = 1; i < SEEDS.length; i++) {
                    seeds.add(train(m, top.lr(), SEEDS[i]));
                }
            }
            best.add(top);
            rows.add(row(m, top, seeds));
        }
        Map<String, Path> curves = new LinkedHashMap<>();
        best.forEach(r -> curves.put(r.method().label(), r.metrics()));
        Path png = outDir.resolve("methods-loss.png");
        LossPlot.render(curves, png, "validation and train loss, best lr per method");
        Path md = outDir.resolve("methods.md");
        Files.writeString(md, table(rows, unigram), StandardCharsets.UTF_8);
        return md;
    }

    private Run train(Compared m, double lr, long seed) throws IOException {
        String name = m.method().name() + (m.sltrain() ? "-sltrain" : "") + "-lr" + lr + "-s" + seed;
        Path dir = outDir.resolve("runs").resolve(name);
        FrugalConfig c = base.with("optimizer.preset", m.method().name()).with("model.sltrain", m.sltrain())
                .with("optimizer.lr", lr).with("train.seed", seed)
                .with("metrics.dir", dir.toString()).with("checkpoint.dir", dir.resolve("ckpt").toString());
        ByteArrayOutputStream quiet = new ByteArrayOutputStream();
        TrainResult r = new ParameterAveragingTrainer(sc, c, new PrintStream(quiet, true, StandardCharsets.UTF_8)).train(null);
        log.printf("%-18s lr %-7s seed %d: val ppl %8.2f  state %,12d B  %,8.0f tok/s  %6.1f s%n",
                m.label(), lr, seed, r.finalPerplexity(), r.optimizerStateBytes(), r.tokensPerSecond(), r.seconds());
        return new Run(m, lr, seed, r, r.metricsFile());
    }

    private static String row(Compared m, Run top, List<Run> seeds) {
        double mean = seeds.stream().mapToDouble(r -> r.result().finalPerplexity()).average().orElseThrow();
        double min = seeds.stream().mapToDouble(r -> r.result().finalPerplexity()).min().orElseThrow();
        double max = seeds.stream().mapToDouble(r -> r.result().finalPerplexity()).max().orElseThrow();
        String ppl = seeds.size() > 1
                ? String.format("%.2f (mean of %d seeds %.2f, range %.2f-%.2f)", top.result().finalPerplexity(), seeds.size(), mean, min, max)
                : String.format("%.2f", top.result().finalPerplexity());
        TrainResult r = top.result();
        return String.format("| %s | %s | %s | %,d | %,.0f | %.0f |", m.label(), top.lr(), ppl, r.optimizerStateBytes(),
                r.tokensPerSecond(), r.seconds());
    }

    private String table(List<String> rows, double unigram) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Method comparison (`./frugal bench methods`)\n\n");
        sb.append("Generated ").append(LocalDate.now()).append(" on ").append(Machine.describe()).append(".\n");
        sb.append("Data `").append(base.getString("data.input")).append("`, model `").append(base.getString("model.preset"))
                .append("`, ").append(base.getInt("train.steps")).append(" steps of ").append(base.getInt("train.global_batch"))
                .append(" sequences x ").append(base.getInt("data.seq_len")).append(" tokens, ").append(base.getInt("train.workers"))
                .append(" workers, averaging period ").append(base.getInt("train.averaging.period"))
                .append(". Perplexity: exp of the token-weighted mean validation loss. Unigram baseline: ")
                .append(String.format("%.2f", unigram)).append(".\n\n");
        sb.append("| method | best lr | final val ppl | optimizer state (bytes) | tokens/s | wall (s) |\n|---|---|---|---|---|---|\n");
        rows.forEach(r -> sb.append(r).append('\n'));
        sb.append("\n![loss curves](methods-loss.png)\n");
        return sb.toString();
    }
}
