package io.frugalspark.job.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.frugalspark.data.Manifest;
import io.frugalspark.data.TokenizeJob;
import io.frugalspark.job.config.TokenizeSettings;
import io.frugalspark.job.config.FrugalConfig;
import io.frugalspark.job.io.LossPlot;
import io.frugalspark.job.train.ParameterAveragingTrainer;
import io.frugalspark.job.train.TrainResult;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The Java API in the shape a notebook wants (Zeppelin's {@code %spark}, or any Scala/Java shell):
 * every call takes the session's existing SparkContext, an optional HOCON file ({@code null} for
 * none) and {@code key=value} overrides exactly as {@code ./frugal --set} takes them, and returns
 * plain values, or text that Zeppelin renders ({@code %table}, {@code %html}).
 */
public final class FrugalSpark {
    private static final ObjectMapper JSON = new ObjectMapper();

    private FrugalSpark() {}

    /** The resolved configuration: defaults, then {@code file} (may be null), then {@code sets}. */
    public static FrugalConfig config(String file, String... sets) {
        return FrugalConfig.load(file == null ? null : new File(file), List.of(sets));
    }

    /**
     * Tokenizes {@code data.input} into {@code data.output} exactly as {@code ./frugal tokenize} does
     * (a no-op over a complete output of the same config) on {@code sc}, and returns the manifest.
     */
    public static Manifest tokenize(JavaSparkContext sc, PrintStream console, String file, String... sets) {
        return TokenizeJob.run(sc, TokenizeSettings.from(config(file, sets), null, false), console);
    }

    /** Trains to {@code train.steps}; {@code resume}: null (fresh), "latest" or a checkpoint directory. */
    public static TrainResult train(JavaSparkContext sc, PrintStream console, String resume, String file, String... sets)
            throws IOException {
        return new ParameterAveragingTrainer(sc, config(file, sets), console).train(resume);
    }

    /**
     * {@link #train} on a background thread, so that the notebook can follow {@link #metrics} while
     * it runs; the progress console goes to {@code metrics.dir}/console.log.
     */
    public static CompletableFuture<TrainResult> trainAsync(JavaSparkContext sc, String resume, String file, String... sets)
            throws IOException {
        Path dir = Path.of(config(file, sets).getPath("metrics.dir"));
        Files.createDirectories(dir);
        if (resume == null) {
            Files.deleteIfExists(dir.resolve("metrics.jsonl")); // a follower must not read the previous run's rows
        }
        PrintStream console = new PrintStream(Files.newOutputStream(dir.resolve("console.log")), true, StandardCharsets.UTF_8);
        return CompletableFuture.supplyAsync(() -> {
            try (console) {
                return train(sc, console, resume, file, sets);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** The rows of {@code metricsDir}/metrics.jsonl written so far (complete lines only; empty before the first). */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> metrics(String metricsDir) throws IOException {
        Path file = Path.of(metricsDir, "metrics.jsonl");
        if (!Files.exists(file)) {
            return List.of();
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String line : text.substring(0, text.lastIndexOf('\n') + 1).split("\n")) {
            if (!line.isBlank()) {
                rows.add(JSON.readValue(line, Map.class));
            }
        }
        return rows;
    }

    /** One metrics row as a progress line. */
    public static String describe(Map<String, Object> row) {
        StringBuilder sb = new StringBuilder(String.format("step %6d  tokens %,12d", num(row, "step").longValue(),
                num(row, "tokens").longValue()));
        if (row.get("train_loss") instanceof Number n) {
            sb.append(String.format("  train loss %.4f  lr %.2e  %,8.0f tokens/s", n.doubleValue(),
                    num(row, "lr").doubleValue(), num(row, "tokens_per_s").doubleValue()));
        }
        if (row.get("val_ppl") instanceof Number n) {
            sb.append(String.format("  val ppl %.2f", n.doubleValue()));
        }
        return sb.toString();
    }

    /** A Zeppelin {@code %table} of each run's final figures; {@code runs}: label to metrics directory. */
    public static String table(Map<String, String> runs) throws IOException {
        StringBuilder sb = new StringBuilder("%table run\tsteps\ttokens\tfinal train loss\tfinal val ppl\toptimizer state MB\ttokens/s\n");
        for (Map.Entry<String, String> run : runs.entrySet()) {
            List<Map<String, Object>> rows = metrics(run.getValue());
            Map<String, Object> last = rows.get(rows.size() - 1);
            double ppl = rows.stream().filter(r -> r.get("val_ppl") != null).reduce((a, b) -> b)
                    .map(r -> num(r, "val_ppl").doubleValue()).orElse(Double.NaN);
            double speed = rows.stream().filter(r -> r.get("tokens_per_s") != null)
                    .mapToDouble(r -> num(r, "tokens_per_s").doubleValue()).average().orElse(Double.NaN);
            sb.append(String.format("%s\t%d\t%d\t%.4f\t%.2f\t%.3f\t%.0f%n", run.getKey(), num(last, "step").longValue(),
                    num(last, "tokens").longValue(), num(last, "train_loss").doubleValue(), ppl,
                    num(last, "optimizer_state_bytes").doubleValue() / 1e6, speed));
        }
        return sb.toString();
    }

    /** Renders the runs' loss curves to {@code png} and returns it as a Zeppelin {@code %html} image. */
    public static String plot(Map<String, String> runs, String png, String title) throws IOException {
        Map<String, Path> files = new LinkedHashMap<>();
        runs.forEach((label, dir) -> files.put(label, Path.of(dir, "metrics.jsonl")));
        Path out = Path.of(png);
        Files.createDirectories(out.toAbsolutePath().getParent());
        LossPlot.render(files, out, title);
        return "%html <img src=\"data:image/png;base64," + Base64.getEncoder().encodeToString(Files.readAllBytes(out)) + "\"/>";
    }

    /** The metrics directories under {@code base}, one per run, by name (for {@link #table} and {@link #plot}). */
    public static Map<String, String> runsUnder(String base) throws IOException {
        Map<String, String> runs = new LinkedHashMap<>();
        try (Stream<Path> dirs = Files.list(Path.of(base))) {
            dirs.filter(d -> Files.exists(d.resolve("metrics/metrics.jsonl"))).sorted()
                    .forEach(d -> runs.put(d.getFileName().toString(), d.resolve("metrics").toString()));
        }
        return runs;
    }

    private static Number num(Map<String, Object> row, String key) {
        return row.get(key) instanceof Number n ? n : Double.NaN;
    }
}
