package io.frugalspark.job.bench;

import io.frugalspark.job.config.FrugalConfig;
import io.frugalspark.job.io.MetricsLog;
import io.frugalspark.job.train.ParameterAveragingTrainer;
import io.frugalspark.job.train.TrainResult;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/**
 * {@code ./frugal bench soak}: many short rounds (period 1), then the driver's and executors' heap and
 * resident memory over the run: flat means broadcasts, replicas and buffers are released each round.
 */
public final class Soak {
    private static final String[] SERIES = {"driver_heap_bytes", "driver_rss_bytes", "executor_heap_bytes", "executor_rss_bytes"};

    private Soak() {}

    public static Path run(JavaSparkContext sc, FrugalConfig c, Path outDir, PrintStream log) throws IOException {
        TrainResult r = new ParameterAveragingTrainer(sc, c, log).train(null);
        List<Map<String, Object>> rows = MetricsLog.read(r.metrics(), sc.hadoopConfiguration()).stream().filter(m -> m.containsKey("round")).toList();
        int window = Math.max(1, rows.size() / 10);
        StringBuilder md = new StringBuilder("# Soak (`./frugal bench soak`)\n\n")
                .append("Generated ").append(LocalDate.now()).append(" on ").append(Machine.describe()).append(": ")
                .append(rows.size()).append(" rounds of ").append(c.getInt("train.averaging.period")).append(" step(s), ")
                .append(c.getInt("train.workers")).append(" workers, model `").append(c.getString("model.preset"))
                .append("`, master `").append(sc.master()).append("`.\n\n")
                .append("Peak of each series over ").append(window).append(" rounds at the start, the middle and the end (MiB). ")
                .append("The JVM grows its heap towards -Xmx during the first half (resident memory follows the committed ")
                .append("heap); a leak would show as growth from the middle to the end.\n\n")
                .append("| series | first | middle | last | last / middle |\n|---|---|---|---|---|\n");
        XYChart chart = new XYChartBuilder().width(900).height(500).title("memory over rounds").xAxisTitle("round").yAxisTitle("MiB").build();
        for (String key : SERIES) {
            double first = peak(rows.subList(0, window), key);
            double middle = peak(rows.subList(rows.size() / 2, rows.size() / 2 + window), key);
            double last = peak(rows.subList(rows.size() - window, rows.size()), key);
            md.append(String.format("| %s | %.1f | %.1f | %.1f | %.2f |%n", key, first, middle, last, last / Math.max(1e-9, middle)));
            chart.addSeries(key, rows.stream().map(m -> ((Number) m.get("round")).doubleValue()).toList(),
                    rows.stream().map(m -> ((Number) m.get(key)).doubleValue() / (1 << 20)).toList());
        }
        md.append("\n![memory](soak-memory.png)\n");
        BitmapEncoder.saveBitmap(chart, outDir.resolve("soak-memory.png").toString(), BitmapEncoder.BitmapFormat.PNG);
        Path file = outDir.resolve("soak.md");
        Files.writeString(file, md.toString(), StandardCharsets.UTF_8);
        return file;
    }

    private static double peak(List<Map<String, Object>> rows, String key) {
        return rows.stream().mapToDouble(m -> ((Number) m.get(key)).doubleValue()).max().orElse(0) / (1 << 20);
    }
}
