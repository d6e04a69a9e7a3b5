package io.edgeloop.trainer.report;

import io.edgeloop.trainer.calibrate.ReliabilityDiagram;
import io.edgeloop.trainer.train.EpochMetrics;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.XYIntervalSeries;
import org.jfree.data.xy.XYIntervalSeriesCollection;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Training curves and reliability diagrams as PNG images (jfreechart, headless), base64-encoded for inline
 * embedding.
 */
final class Charts {

    static final int WIDTH = 520;
    static final int HEIGHT = 300;

    private Charts() {
    }

    /** Train and validation curves of one quantity over the epochs, as a base64 PNG. */
    static String curves(String title, String axis, List<EpochMetrics> history, ToDoubleFunction<EpochMetrics> train,
                         ToDoubleFunction<EpochMetrics> val) throws IOException {
        XYSeries trainSeries = new XYSeries("train");
        XYSeries valSeries = new XYSeries("validation");
        for (EpochMetrics m : history) {
            add(trainSeries, m.epoch(), train.applyAsDouble(m));
            add(valSeries, m.epoch(), val.applyAsDouble(m));
        }
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(trainSeries);
        if (valSeries.getItemCount() > 0) {
            data.addSeries(valSeries);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(title, "epoch", axis, data, PlotOrientation.VERTICAL,
                true, false, false);
        chart.setBackgroundPaint(Color.WHITE);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(new Color(0xF7F7F9));
        plot.setDomainGridlinePaint(new Color(0xDDDDDD));
        plot.setRangeGridlinePaint(new Color(0xDDDDDD));
        ((NumberAxis) plot.getDomainAxis()).setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        renderer.setSeriesPaint(0, new Color(0x1F77B4));
        renderer.setSeriesPaint(1, new Color(0xFF7F0E));
        renderer.setSeriesStroke(0, new BasicStroke(2f));
        renderer.setSeriesStroke(1, new BasicStroke(2f));
        plot.setRenderer(renderer);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ChartUtils.writeChartAsPNG(png, chart, WIDTH, HEIGHT);
        return Base64.getEncoder().encodeToString(png.toByteArray());
    }

    /**
     * A reliability diagram as a base64 PNG: one bar per non-empty confidence bin, as wide as the bin and as high as
     * its accuracy, over the diagonal of perfect calibration; the ECE in the subtitle.
     */
    static String reliability(String title, ReliabilityDiagram diagram) throws IOException {
        XYIntervalSeries bars = new XYIntervalSeries("accuracy per confidence bin");
        for (ReliabilityDiagram.Bin b : diagram.bins()) {
            if (b.count() > 0) {
                bars.add((b.lower() + b.upper()) / 2, b.lower(), b.upper(), b.accuracy(), 0, b.accuracy());
            }
        }
        XYIntervalSeriesCollection data = new XYIntervalSeriesCollection();
        data.addSeries(bars);
        JFreeChart chart = ChartFactory.createXYBarChart(title, "confidence (top-1 probability)", false, "accuracy",
                data, PlotOrientation.VERTICAL, true, false, false);
        chart.setBackgroundPaint(Color.WHITE);
        chart.addSubtitle(new TextTitle(String.format(Locale.ROOT, "ECE %.3f, %d images, %d bins", diagram.ece(),
                diagram.images(), diagram.bins().size())));
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(new Color(0xF7F7F9));
        plot.setDomainGridlinePaint(new Color(0xDDDDDD));
        plot.setRangeGridlinePaint(new Color(0xDDDDDD));
        plot.getDomainAxis().setRange(0, 1);
        plot.getRangeAxis().setRange(0, 1);
        XYBarRenderer barRenderer = (XYBarRenderer) plot.getRenderer();
        barRenderer.setBarPainter(new StandardXYBarPainter());
        barRenderer.setShadowVisible(false);
        barRenderer.setDrawBarOutline(true);
        barRenderer.setSeriesPaint(0, new Color(0x1F77B4));
        barRenderer.setSeriesOutlinePaint(0, Color.WHITE);
        XYSeries diagonal = new XYSeries("perfect calibration");
        diagonal.add(0, 0);
        diagonal.add(1, 1);
        plot.setDataset(1, new XYSeriesCollection(diagonal));
        XYLineAndShapeRenderer line = new XYLineAndShapeRenderer(true, false);
        line.setSeriesPaint(0, new Color(0x555555));
        line.setSeriesStroke(0, new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                new float[] {6f, 4f}, 0f));
        plot.setRenderer(1, line);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ChartUtils.writeChartAsPNG(png, chart, WIDTH, HEIGHT);
        return Base64.getEncoder().encodeToString(png.toByteArray());
    }

    private static void add(XYSeries series, int epoch, double value) {
        if (Double.isFinite(value)) {
            series.add(epoch, value);
        }
    }
}
