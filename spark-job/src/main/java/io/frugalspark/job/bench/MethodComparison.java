package io.frugalspark.job.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.frugalspark.data.shard.UnigramBaseline;
import io.frugalspark.job.config.FrugalConfig;
import io.frugalspark.job.io.LossPlot;
import io.frugalspark.job.io.MetricsLog;
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
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.DoubleSummaryStatistics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * {@code ./frugal bench methods}: every method on the same data, model and token budget, swept over
 * both group learning rates (the base lr, and for methods with a projectable group its
 * {@code optimizer.proj_lr_scale}), the best final validation perplexity kept, 3 seeds for AdamW,
 * FRUGAL and AdaFRUGAL at their best point; writes a markdown table and the best runs' loss curves.
 * Each finished run leaves {@code result.json} beside its metrics and later invocations skip it, so
 * a sweep larger than one sitting fills over several invocations, each stopping before a run that
 * would start after its time budget.
 */
public final class MethodComparison {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The rows: the papers' methods from the optimizers module, each with its learning-rate sweep. */
    static final List<Compared> METHODS = Presets.comparison();
    static final List<String> SEEDED = List.of("AdamW", "FRUGAL rho 0.25", "AdaFRUGAL");
    static final long[] SEEDS = {42, 43, 44};
    /** optimizer.proj_lr_scale values swept where the method has a projectable group. */
    static final double[] PROJ_SCALES = {0.25, 1.0};

    private final JavaSparkContext sc;
    private final FrugalConfig base;
    private final Path outDir;
    private final PrintStream log;
    private final long deadline;

    /** @param budget no run starts after this much time has passed; the others wait for the next invocation */
    public MethodComparison(JavaSparkContext sc, FrugalConfig base, Path outDir, PrintStream log, Duration budget) {
        this.sc = sc;
        this.base = base;
        this.outDir = outDir;
        this.log = log;
        this.deadline = System.nanoTime() + budget.toNanos();
    }

    /** One point of a method's sweep; -1 keeps the preset's projectable-group scale (methods without the group). */
    record Point(double lr, double projScale, long seed) {
        String name(Compared m) {
            return m.method().name() + (m.sltrain() ? "-sltrain" : "") + "-lr" + lr + (projScale > 0 ? "-p" + projScale : "") + "-s" + seed;
        }
    }

    /** A finished run's figures, kept as its {@code result.json}. */
    record Outcome(double finalPerplexity, long meanStateBytes, long peakStateBytes, double tokensPerSecond, double seconds,
                   String metrics) {}

    public Path run(Function<FrugalConfig, String> tokenize) throws IOException {
        String tokens = tokenize.apply(base);
        double unigram = UnigramBaseline.perplexity(tokens);
        Map<String, Path> curves = new LinkedHashMap<>();
        List<String> rows = new ArrayList<>();
        int pending = 0;
        for (Compared m : METHODS) {
            List<Point> grid = grid(m);
            Map<Point, Outcome> sweep = sweep(m, grid);
            pending += grid.size() - sweep.size();
            Optional<Map.Entry<Point, Outcome>> top = sweep.entrySet().stream()
                    .min(Comparator.comparingDouble(e -> e.getValue().finalPerplexity()));
            if (top.isEmpty()) {
                rows.add("| " + m.label() + " | pending | | | | | | 0 of " + grid.size() + " |");
                continue;
            }
            List<Outcome> seeds = seeds(m, top.get());
            pending += SEEDED.contains(m.label()) ? SEEDS.length - seeds.size() : 0;
            curves.put(m.label(), Path.of(top.get().getValue().metrics()));
            rows.add(row(m, top.get(), seeds, sweep.size(), grid.size()));
        }
        Path png = outDir.resolve("methods-loss.png");
        LossPlot.render(curves, png, "validation and train loss, best lr per method");
        Path md = outDir.resolve("methods.md");
        Files.writeString(md, table(rows, unigram, pending), StandardCharsets.UTF_8);
        log.println(pending == 0 ? "every run is done" : pending + " runs pending: run the same command again to continue");
        return md;
    }

    static List<Point> grid(Compared m) {
        double[] scales = m.method().hasProjectableGroup() ? PROJ_SCALES : new double[] {-1};
        List<Point> out = new ArrayList<>();
        for (double lr : m.lrs()) {
            for (double p : scales) {
                out.add(new Point(lr, p, SEEDS[0]));
            }
        }
        return out;
    }

    private Map<Point, Outcome> sweep(Compared m, List<Point> points) throws IOException {
        Map<Point, Outcome> done = new LinkedHashMap<>();
        for (Point p : points) {
            Optional<Outcome> o = outcome(m, p);
            if (o.isPresent()) {
                done.put(p, o.get());
            }
        }
        return done;
    }

    /** The best point's outcomes over every seed done so far (its own first). */
    private List<Outcome> seeds(Compared m, Map.Entry<Point, Outcome> top) throws IOException {
        List<Outcome> out = new ArrayList<>(List.of(top.getValue()));
        if (SEEDED.contains(m.label())) {
            for (int i = 1; i < SEEDS.length; i++) {
                outcome(m, new Point(top.getKey().lr(), top.getKey().projScale(), SEEDS[i])).ifPresent(out::add);
            }
        }
        return out;
    }

    /** A run's outcome: from its result.json, or trained now if the budget allows, or empty. */
    private Optional<Outcome> outcome(Compared m, Point p) throws IOException {
        Path dir = outDir.resolve("runs").resolve(p.name(m));
        Path result = dir.resolve("result.json");
        if (Files.exists(result)) {
            return Optional.of(JSON.readValue(result.toFile(), Outcome.class));
        }
        if (System.nanoTime() > deadline) {
            return Optional.empty();
        }
        FrugalConfig c = base.with("optimizer.preset", m.method().name()).with("model.sltrain", m.sltrain())
                .with("optimizer.lr", p.lr()).with("optimizer.proj_lr_scale", p.projScale()).with("train.seed", p.seed())
                .with("metrics.dir", dir.toString()).with("checkpoint.dir", dir.resolve("ckpt").toString());
        ByteArrayOutputStream quiet = new ByteArrayOutputStream();
        TrainResult r = new ParameterAveragingTrainer(sc, c, new PrintStream(quiet, true, StandardCharsets.UTF_8)).train(null);
        List<Map<String, Object>> rows = MetricsLog.read(r.metrics(), sc.hadoopConfiguration());
        long[] state = rows.stream().filter(row -> row.containsKey("optimizer_state_bytes"))
                .mapToLong(row -> ((Number) row.get("optimizer_state_bytes")).longValue()).toArray();
        Outcome o = new Outcome(r.finalPerplexity(), (long) Arrays.stream(state).average().orElse(0),
                Arrays.stream(state).max().orElse(0), r.tokensPerSecond(), r.seconds(), Path.of(r.metrics(), MetricsLog.FILE).toString());
        JSON.writerWithDefaultPrettyPrinter().writeValue(result.toFile(), o);
        log.printf("%-18s %s: val ppl %8.2f  state %,12d B  %,8.0f tok/s  %6.1f s%n",
                m.label(), p.name(m), o.finalPerplexity(), o.peakStateBytes(), o.tokensPerSecond(), o.seconds());
        return Optional.of(o);
    }

    private static String row(Compared m, Map.Entry<Point, Outcome> top, List<Outcome> seeds, int done, int planned) {
        Outcome best = top.getValue();
        String ppl = String.format("%.2f", best.finalPerplexity());
        if (seeds.size() > 1) {
            DoubleSummaryStatistics st = seeds.stream().mapToDouble(Outcome::finalPerplexity).summaryStatistics();
            ppl += String.format(" (mean of %d seeds %.2f, range %.2f-%.2f)", st.getCount(), st.getAverage(), st.getMin(), st.getMax());
        }
        double scale = top.getKey().projScale();
        return String.format("| %s | %s | %s | %s | %,d / %,d | %,.0f | %.0f | %d of %d |", m.label(), top.getKey().lr(),
                scale > 0 ? scale : "-", ppl, best.meanStateBytes(), best.peakStateBytes(), best.tokensPerSecond(), best.seconds(),
                done, planned);
    }

    private String table(List<String> rows, double unigram, int pending) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Method comparison (`./frugal bench methods`)\n\n");
        sb.append("Generated ").append(LocalDate.now()).append(" on ").append(Machine.describe()).append(".\n");
        sb.append("Data `").append(base.getString("data.input")).append("`, model `").append(base.getString("model.preset"))
                .append("`, ").append(base.getInt("train.steps")).append(" steps of ").append(base.getInt("train.global_batch"))
                .append(" sequences x ").append(base.getInt("data.seq_len")).append(" tokens, ").append(base.getInt("train.workers"))
                .append(" workers, averaging period ").append(base.getInt("train.averaging.period"))
                .append(". Perplexity: exp of the token-weighted mean validation loss. Unigram baseline: ")
                .append(String.format("%.2f", unigram)).append(".").append(pending > 0 ? " **" + pending + " runs pending.**" : "")
                .append("\n\n");
        sb.append("| method | best lr | proj lr scale | final val ppl | optimizer state mean / peak (bytes) | tokens/s | wall (s)"
                + " | sweep runs |\n|---|---|---|---|---|---|---|---|\n");
        rows.forEach(r -> sb.append(r).append('\n'));
        sb.append("\n![loss curves](methods-loss.png)\n");
        return sb.toString();
    }
}
