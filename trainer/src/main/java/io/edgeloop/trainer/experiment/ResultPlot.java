package io.edgeloop.trainer.experiment;

import io.edgeloop.trainer.model.FineTuneStrategy;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * The accuracy-versus-data plot: target test accuracy (mean, with ± one standard deviation error bars) over
 * training images per class (log scale), one line per strategy. "all" is drawn at the images per class it
 * actually used. Written as a PNG with jfreechart.
 */
public final class ResultPlot {

    /** Plot size in pixels. */
    public static final int WIDTH = 900;
    public static final int HEIGHT = 560;

    private static final Map<FineTuneStrategy, Color> COLOURS = Map.of(
            FineTuneStrategy.HEAD, new Color(0x1f77b4),
            FineTuneStrategy.PARTIAL, new Color(0xff7f0e),
            FineTuneStrategy.FULL, new Color(0x2ca02c),
            FineTuneStrategy.SCRATCH, new Color(0xd62728),
            FineTuneStrategy.AUTO, Color.GRAY);

    private ResultPlot() {
    }

    /** Builds the chart. */
    public static JFreeChart chart(ResultTable table, String title) {
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        for (FineTuneStrategy s : table.strategies()) {
            YIntervalSeries series = new YIntervalSeries(ResultTable.name(s));
            for (CellSummary c : table.cells()) {
                if (c.strategy() == s) {
                    double mean = 100 * c.accuracyMean();
                    double std = 100 * c.accuracyStd();
                    series.add(c.trainImagesPerClass(), mean, mean - std, mean + std);
                }
            }
            data.addSeries(series);
        }
        LogAxis x = new LogAxis("labelled training images per class (log scale)");
        x.setBase(10);
        x.setSmallestValue(1);
        NumberAxis y = new NumberAxis("target-task test accuracy (%)");
        y.setAutoRangeIncludesZero(false);
        XYErrorRenderer renderer = new XYErrorRenderer();
        renderer.setDrawXError(false);
        renderer.setDrawYError(true);
        renderer.setDefaultLinesVisible(true);
        renderer.setDefaultShapesVisible(true);
        for (int i = 0; i < table.strategies().size(); i++) {
            Color colour = COLOURS.get(table.strategies().get(i));
            renderer.setSeriesPaint(i, colour);
            renderer.setSeriesLinesVisible(i, true);
            renderer.setSeriesStroke(i, new BasicStroke(2f));
        }
        renderer.setErrorStroke(new BasicStroke(1.2f));
        renderer.setErrorPaint(null);
        XYPlot plot = new XYPlot(data, x, y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    /** Writes the chart as a PNG. */
    public static void write(ResultTable table, String title, Path png) throws IOException {
        Path parent = png.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        ChartUtils.saveChartAsPNG(png.toFile(), chart(table, title), WIDTH, HEIGHT);
    }
}
