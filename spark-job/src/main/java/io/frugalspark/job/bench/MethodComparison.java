package io.frugalspark.job.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.frugalspark.data.shard.UnigramBaseline;
import io.frugalspark.job.config.FrugalConfig;
import io.frugalspark.job.io.LossPlot;
import io.frugalspark.job.io.MetricsLog;
import io.frugalspark.job.train.OptimizerFactory;
import io.frugalspark.job.train.ParameterAveragingTrainer;
import io.frugalspark.job.train.TrainResult;
import io.frugalspark.optim.Partition;
import io.frugalspark.optim.Presets;
import io.frugalspark.optim.method.Compared;
import io.frugalspark.optim.method.Method.Adaptive;
import java.io.IOException;
import java.io.OutputStream;
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
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * {@code ./frugal bench methods}: every method on the same data, model and token budget, swept over
 * both group learning rates in two stages (the method's lrs at the preset's group ratio, then for
 * methods with a regular group beside the projectable one that group at 4x the best), the best final
 * validation perplexity kept, 3 seeds for AdamW, FRUGAL and both AdaFRUGALs at their best point;
 * writes a markdown table and the best runs' loss curves.
 * Each finished run leaves {@code result.json} beside its metrics and later invocations skip it, so
 * a sweep larger than one sitting fills over several invocations, each stopping before a run that
 * would start after its time budget.
 */
public final class MethodComparison {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The rows: the papers' methods from the optimizers module, each with its learning-rate sweep. */
    static final List<Compared> METHODS = Presets.comparison();
    static final List<String> SEEDED = List.of("AdamW", "FRUGAL rho 0.25", "AdaFRUGAL", "AdaFRUGAL (statistics)");
    static final long[] SEEDS = {42, 43, 44};
    /** How much faster than the matrices the regular group trains in a sweep's second stage. */
    static final double REGULAR_LR_FACTOR = 4;

    private final JavaSparkContext sc;
    private final FrugalConfig base;
    private final Path outDir;
    private final PrintStream log;
    private final long deadline;
    /** The machines this invocation's table draws its runs from, with their run counts. */
    private final Map<String, Integer> machines = new TreeMap<>();

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
        /** The run's directory name: the row's label as a slug (rows share presets), then the point. */
        String name(Compared m) {
            String slug = m.label().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.]+", "-").replaceAll("^-|-$", "");
            return slug + "-lr" + lr + (projScale > 0 ? "-p" + projScale : "") + "-s" + seed;
        }
    }

    /**
     * A finished run's figures, kept as its {@code result.json}.
     *
     * @param reselections the optimizer's re-selections over the run
     * @param rules how often each AdaFRUGAL controller rule decided (rounds' rules and loss checks; "none" left out)
     * @param machine where it ran ({@link Machine#describe()}): invocations may run on different machines
     */
    record Outcome(double finalPerplexity, long meanStateBytes, long peakStateBytes, double tokensPerSecond, double seconds,
                   long reselections, Map<String, Integer> rules, String machine, String metrics) {
        Outcome {
            rules = rules == null ? Map.of() : new TreeMap<>(rules);
        }

        static Outcome of(TrainResult r, List<Map<String, Object>> rows) {
            long[] state = rows.stream().filter(row -> row.containsKey("optimizer_state_bytes"))
                    .mapToLong(row -> ((Number) row.get("optimizer_state_bytes")).longValue()).toArray();
            long reselections = rows.stream().filter(row -> row.containsKey("reselections"))
                    .mapToLong(row -> ((Number) row.get("reselections")).longValue()).max().orElse(0);
            Map<String, Integer> rules = new TreeMap<>();
            for (Map<String, Object> row : rows) {
                List<Object> fired = new ArrayList<>(row.get("control.rules") instanceof List<?> l ? l : List.of());
                Optional.ofNullable(row.get("control.loss_check")).ifPresent(fired::add);
                fired.stream().map(String::valueOf).filter(k -> !k.equals("none")).forEach(k -> rules.merge(k, 1, Integer::sum));
            }
            return new Outcome(r.finalPerplexity(), (long) Arrays.stream(state).average().orElse(0), Arrays.stream(state).max().orElse(0),
                    r.tokensPerSecond(), r.seconds(), reselections, rules, Machine.describe(), Path.of(r.metrics(), MetricsLog.FILE).toString());
        }

        /** e.g. "4 (drift 2, importance 4)". */
        String reselectionsAndRules() {
            String fired = rules.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
            return reselections + (fired.isEmpty() ? "" : " (" + fired + ")");
        }
    }

    public Path run(Function<FrugalConfig, String> tokenize) throws IOException {
        String tokens = tokenize.apply(base);
        double unigram = UnigramBaseline.perplexity(tokens);
        Map<String, Path> curves = new LinkedHashMap<>();
        List<String> rows = new ArrayList<>();
        int pending = 0;
        for (Compared m : METHODS) {
            List<Point> grid = grid(m);
            Map<Point, Outcome> sweep = sweep(m, grid);
            if (sweep.size() == grid.size() && twoGroups(m)) {
                Point regular = regularLrPoint(m, best(sweep).orElseThrow().getKey());
                outcome(m, regular).ifPresent(o -> sweep.put(regular, o));
            }
            int planned = grid.size() + (twoGroups(m) ? 1 : 0);
            pending += planned - sweep.size();
            Optional<Map.Entry<Point, Outcome>> top = best(sweep);
            if (top.isEmpty()) {
                rows.add("| " + m.label() + " | pending | | | | | | | 0 of " + planned + " |");
                pending += SEEDED.contains(m.label()) ? SEEDS.length - 1 : 0;
                continue;
            }
            List<Outcome> seeds = seeds(m, top.get());
            pending += SEEDED.contains(m.label()) ? SEEDS.length - seeds.size() : 0;
            curves.put(m.label(), Path.of(top.get().getValue().metrics()));
            rows.add(row(m, top.get(), seeds, sweep.size(), planned));
        }
        Path png = outDir.resolve("methods-loss.png");
        LossPlot.render(curves, png, "validation and train loss, best lr per method");
        Path md = outDir.resolve("methods.md");
        Files.writeString(md, table(rows, unigram, pending), StandardCharsets.UTF_8);
        log.println(pending == 0 ? "every run is done" : pending + " runs pending: run the same command again to continue");
        return md;
    }

    /** The first stage of a method's sweep: its lrs, both groups at the preset's ratio. */
    static List<Point> grid(Compared m) {
        return Arrays.stream(m.lrs()).mapToObj(lr -> new Point(lr, -1, SEEDS[0])).toList();
    }

    /**
     * The second stage, for methods with a regular group beside the projectable one: the matrices
     * keep the first stage's best lr and the regular group (embeddings, norms, lm_head) trains at
     * {@link #REGULAR_LR_FACTOR} times it, the coupling the `tiny` study found to matter.
     */
    static Point regularLrPoint(Compared m, Point best) {
        double scale = best.projScale() > 0 ? best.projScale() : m.method().projLrScale();
        return new Point(best.lr() * REGULAR_LR_FACTOR, scale / REGULAR_LR_FACTOR, best.seed());
    }

    /** Whether the method trains a regular group beside its projectable one (not adamw's one group, nor signSGD's all). */
    static boolean twoGroups(Compared m) {
        return m.method().partition() == Partition.PROJECTABLE;
    }

    private static Optional<Map.Entry<Point, Outcome>> best(Map<Point, Outcome> sweep) {
        return sweep.entrySet().stream().min(Comparator.comparingDouble(e -> e.getValue().finalPerplexity()));
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
            return Optional.of(counted(JSON.readValue(result.toFile(), Outcome.class)));
        }
        if (System.nanoTime() > deadline) {
            return Optional.empty();
        }
        TrainResult r = new ParameterAveragingTrainer(sc, config(m, p, dir), new PrintStream(OutputStream.nullOutputStream())).train(null);
        Outcome o = Outcome.of(r, MetricsLog.read(r.metrics(), sc.hadoopConfiguration()));
        JSON.writerWithDefaultPrettyPrinter().writeValue(result.toFile(), o);
        log.printf("%-22s %s: val ppl %8.2f  state %,12d B  %,8.0f tok/s  %6.1f s  re-selections %s%n",
                m.label(), p.name(m), o.finalPerplexity(), o.peakStateBytes(), o.tokensPerSecond(), o.seconds(), o.reselectionsAndRules());
        return Optional.of(counted(o));
    }

    private Outcome counted(Outcome o) {
        machines.merge(o.machine() == null ? "not recorded" : o.machine(), 1, Integer::sum);
        return o;
    }

    /**
     * The base settings with the row's method and the point's lrs and seed. An adaptive row picks its
     * controllers' rules; their knobs stay the base config's (sized to the bench's horizon).
     */
    FrugalConfig config(Compared m, Point p, Path dir) {
        FrugalConfig c = base.with("optimizer.preset", m.method().name()).with("model.sltrain", m.sltrain())
                .with("optimizer.lr", p.lr()).with("optimizer.proj_lr_scale", p.projScale()).with("train.seed", p.seed())
                .with("metrics.dir", dir.toString()).with("checkpoint.dir", dir.resolve("ckpt").toString());
        if (!m.method().adaptive()) {
            return c;
        }
        Adaptive rules = m.method().adaFrugal();
        return OptimizerFactory.withControls(c, OptimizerFactory.controls(base).withRules(rules.rhoRule(), rules.gapRule(),
                rules.selectionRule()));
    }

    private static String row(Compared m, Map.Entry<Point, Outcome> top, List<Outcome> seeds, int done, int planned) {
        Outcome best = top.getValue();
        String ppl = String.format("%.2f", best.finalPerplexity());
        if (seeds.size() > 1) {
            DoubleSummaryStatistics st = seeds.stream().mapToDouble(Outcome::finalPerplexity).summaryStatistics();
            ppl += String.format(" (mean of %d seeds %.2f, range %.2f-%.2f)", st.getCount(), st.getAverage(), st.getMin(), st.getMax());
        }
        double scale = top.getKey().projScale();
        return String.format("| %s | %s | %s | %s | %,d / %,d | %s | %,.0f | %.0f | %d of %d |", m.label(), top.getKey().lr(),
                scale > 0 ? scale : "-", ppl, best.meanStateBytes(), best.peakStateBytes(), best.reselectionsAndRules(),
                best.tokensPerSecond(), best.seconds(), done, planned);
    }

    private String table(List<String> rows, double unigram, int pending) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Method comparison (`./frugal bench methods`)\n\n");
        sb.append("Generated ").append(LocalDate.now()).append(" on ").append(Machine.describe()).append(". Runs from: ");
        machines.forEach((name, n) -> sb.append(name).append(" (").append(n).append(n == 1 ? " run); " : " runs); "));
        sb.append("tokens/s and wall times compare within one machine only.\n");
        sb.append("Data `").append(base.getString("data.input")).append("`, model `").append(base.getString("model.preset"))
                .append("`, ").append(base.getInt("train.steps")).append(" steps of ").append(base.getInt("train.global_batch"))
                .append(" sequences x ").append(base.getInt("data.seq_len") - 1).append(" tokens, ").append(base.getInt("train.workers"))
                .append(" workers, averaging period ").append(base.getInt("train.averaging.period"))
                .append(". Perplexity: exp of the token-weighted mean validation loss. Unigram baseline: ")
                .append(String.format("%.2f", unigram)).append(".").append(pending > 0 ? " **" + pending + " runs pending.**" : "")
                .append("\n\n");
        sb.append("| method | best lr | proj lr scale | final val ppl | optimizer state mean / peak (bytes)"
                + " | re-selections (rules fired) | tokens/s | wall (s) | sweep runs |\n|---|---|---|---|---|---|---|---|---|\n");
        rows.forEach(r -> sb.append(r).append('\n'));
        sb.append("\n![loss curves](methods-loss.png)\n");
        return sb.toString();
    }
}
