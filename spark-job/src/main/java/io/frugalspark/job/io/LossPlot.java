package io.frugalspark.job.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Renders loss curves from metrics files to PNG (headless). */
public final class LossPlot {
    private LossPlot() {}

    /** One train-loss line and one validation-loss series per named metrics file. */
    public static void render(Map<String, Path> runs, Path png, String title) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(560).title(title)
                .xAxisTitle("step").yAxisTitle("loss (nats/token)").build();
        chart.getStyler().setToolTipsEnabled(false);
        for (Map.Entry<String, Path> run : runs.entrySet()) {
            List<Map<String, Object>> rows = MetricsLog.read(run.getValue());
            addSeries(chart, run.getKey() + " train", rows, "train_loss", false);
            addSeries(chart, run.getKey() + " val", rows, "val_loss", true);
        }
        System.setProperty("java.awt.headless", "true");
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static void addSeries(XYChart chart, String name, List<Map<String, Object>> rows, String key, boolean markers) {
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (Map<String, Object> r : rows) {
            if (r.get(key) instanceof Number y && r.get("step") instanceof Number x) {
                xs.add(x.doubleValue());
                ys.add(y.doubleValue());
            }
        }
        if (xs.isEmpty()) {
            return;
        }
        XYSeries s = chart.addSeries(name, xs, ys);
        s.setMarker(markers ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
        if (!markers) {
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        }
    }
}
