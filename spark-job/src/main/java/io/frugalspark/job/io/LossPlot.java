package io.frugalspark.job.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Renders loss curves from metrics files to PNG (headless); a single AdaFRUGAL run's rho and T on axes of their own. */
public final class LossPlot {
    public static final String FILE = "loss.png";

    private LossPlot() {}

    /** One train-loss line and one validation-loss series per named metrics file. */
    public static void render(Map<String, Path> runs, Path png, String title) throws IOException {
        Map<String, List<Map<String, Object>>> rows = new LinkedHashMap<>();
        for (Map.Entry<String, Path> run : runs.entrySet()) {
            rows.put(run.getKey(), MetricsLog.read(run.getValue()));
        }
        draw(rows, png, title);
    }

    /**
     * The curves of the metrics log in {@code metricsDirUri} (see {@link MetricsLog#open}) as
     * {@value #FILE} in that directory, on the same file system; returns the plot's URI.
     */
    public static String renderNextTo(String metricsDirUri, Configuration conf, String label, String title) throws IOException {
        org.apache.hadoop.fs.Path dir = MetricsLog.dirPath(metricsDirUri);
        FileSystem fs = MetricsLog.fileSystem(dir, conf);
        org.apache.hadoop.fs.Path png = new org.apache.hadoop.fs.Path(dir, FILE);
        Map<String, List<Map<String, Object>>> rows = Map.of(label, MetricsLog.read(metricsDirUri, conf));
        if (fs instanceof RawLocalFileSystem local) {
            draw(rows, local.pathToFile(png).toPath(), title);
        } else { // the chart library writes local files only
            Path tmp = Files.createTempFile("frugal-loss-", ".png");
            draw(rows, tmp, title);
            fs.copyFromLocalFile(true, true, new org.apache.hadoop.fs.Path(tmp.toUri()), png);
        }
        return png.toString();
    }

    private static void draw(Map<String, List<Map<String, Object>>> runs, Path png, String title) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(560).title(title)
                .xAxisTitle("step").yAxisTitle("loss (nats/token)").build();
        chart.getStyler().setToolTipsEnabled(false);
        runs.forEach((label, rows) -> {
            addSeries(chart, label + " train", rows, "train_loss", false);
            addSeries(chart, label + " val", rows, "val_loss", true);
        });
        List<Map<String, Object>> rows = runs.size() == 1 ? runs.values().iterator().next() : List.of();
        if (rows.stream().anyMatch(r -> r.containsKey("rho"))) { // one AdaFRUGAL run: its decisions on their own axes
            scheduleSeries(chart, rows, "rho", 1);
            scheduleSeries(chart, rows, "T", 2);
        }
        System.setProperty("java.awt.headless", "true");
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /** rho or T per round (where the run logs them) on y-axis group {@code axis}, titled by the key. */
    private static void scheduleSeries(XYChart chart, List<Map<String, Object>> rows, String key, int axis) {
        XYSeries s = addSeries(chart, key, rows, key, false);
        if (s != null) {
            s.setYAxisGroup(axis);
            chart.setYAxisGroupTitle(axis, key);
        }
    }

    /** The series of {@code key} over step, or null when no row has it. */
    private static XYSeries addSeries(XYChart chart, String name, List<Map<String, Object>> rows, String key, boolean markers) {
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (Map<String, Object> r : rows) {
            if (r.get(key) instanceof Number y && r.get("step") instanceof Number x) {
                xs.add(x.doubleValue());
                ys.add(y.doubleValue());
            }
        }
        if (xs.isEmpty()) {
            return null;
        }
        XYSeries s = chart.addSeries(name, xs, ys);
        s.setMarker(markers ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
        if (!markers) {
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        }
        return s;
    }
}
