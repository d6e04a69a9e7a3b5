package io.edgeloop.trainer.report;

import io.edgeloop.protocol.preprocess.DecodeLimits;
import io.edgeloop.protocol.preprocess.ImageDecoder;
import io.edgeloop.protocol.preprocess.ImageRejectedException;
import io.edgeloop.trainer.calibrate.Calibration;
import io.edgeloop.trainer.calibrate.PrecisionThresholds.ClassThreshold;
import io.edgeloop.trainer.train.ClassMetrics;
import io.edgeloop.trainer.train.EpochMetrics;
import io.edgeloop.trainer.train.Evaluation;
import io.edgeloop.trainer.train.FitConfig;
import io.edgeloop.trainer.train.FitResult;
import io.edgeloop.trainer.train.Misclassified;
import io.edgeloop.trainer.warning.AccuracyInterval;
import io.edgeloop.trainer.warning.RunWarning;
import io.edgeloop.trainer.warning.Severity;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;

/**
 * {@code report.html}: one self-contained page (inline CSS, images as base64 PNG, no scripts, no network) with the
 * run's settings, the strategy decision, loss and accuracy curves, the confusion matrix, per-class
 * precision/recall/F1, the calibration (temperature, ECE and reliability diagrams before and after, per-class
 * thresholds), the worst mistakes as thumbnails, skipped files and timings, and at the top the run's warnings
 * (random base, domain mismatch, small validation set) and the accuracy's 95 % interval. Sections carry stable ids
 * ({@code warnings}, {@code settings}, {@code strategy}, {@code curves}, {@code confusion}, {@code per-class},
 * {@code calibration}, {@code mistakes}, {@code skipped}, {@code timings}); each warning's element carries
 * {@code data-code}.
 */
public final class HtmlReport {

    /** The file name inside the output folder. */
    public static final String FILE_NAME = "report.html";

    /** Longest side of a mistake thumbnail in pixels. */
    static final int THUMBNAIL = 112;

    private static final String CSS = """
            body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:2rem auto;max-width:1100px;
            color:#222;padding:0 1rem}
            h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ddd;
            padding-bottom:.2rem}
            .sub{color:#666;margin-top:0}
            .cards{display:flex;gap:1rem;flex-wrap:wrap}.card{background:#f5f7fa;border-radius:8px;padding:.7rem 1rem;
            min-width:140px}.card b{display:block;font-size:1.4rem}
            table{border-collapse:collapse;font-size:.9rem}td,th{border:1px solid #ddd;padding:.3rem .5rem;
            text-align:right}th{background:#f0f0f0}td.l,th.l{text-align:left}
            .cm td{min-width:2.5rem;text-align:center}
            .charts img{max-width:100%;margin-right:1rem}
            .mistakes{display:flex;flex-wrap:wrap;gap:.8rem}.mistake{width:130px;font-size:.8rem;text-align:center}
            .mistake img{border:2px solid #c0392b;border-radius:4px}
            code{background:#f3f3f3;padding:0 .2rem}
            .warning{border-left:4px solid #c0392b;background:#fdf0ef;padding:.5rem .8rem;margin:.5rem 0}
            .info{border-left:4px solid #2e86c1;background:#eef5fb;padding:.5rem .8rem;margin:.5rem 0}
            """;

    private HtmlReport() {
    }

    /** Writes {@code outDir/report.html}. */
    public static Path write(RunSummary summary, Path outDir) throws IOException {
        Path file = outDir.resolve(FILE_NAME);
        Files.writeString(file, render(summary), StandardCharsets.UTF_8);
        return file;
    }

    /** The page as a string. */
    public static String render(RunSummary summary) throws IOException {
        FitResult r = summary.result();
        StringBuilder h = new StringBuilder(64 * 1024);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<title>edgeloop training report</title><style>").append(CSS).append("</style></head><body>\n");
        h.append("<h1>edgeloop training report</h1>\n<p class=\"sub\">")
                .append(esc(summary.baseModel().getFileName().toString())).append(" fine-tuned on ")
                .append(esc(summary.dataDir().toString())).append(" — ").append(r.labels().size())
                .append(" classes, ").append(r.trainImages()).append(" training and ").append(r.validationImages())
                .append(" validation images</p>\n");
        headline(h, r);
        warnings(h, summary);
        strategy(h, r);
        curves(h, r);
        if (r.evaluation().isPresent()) {
            Evaluation e = r.evaluation().get();
            confusion(h, e);
            perClass(h, e);
            if (summary.calibration().isPresent()) {
                calibration(h, summary.calibration().get());
            }
            mistakes(h, e);
        } else {
            h.append("<h2 id=\"confusion\">Validation</h2><p>No validation images (every class has a"
                    + " single image): no confusion matrix, per-class figures, calibration or mistakes.</p>\n");
        }
        skipped(h, r);
        timings(h, r);
        settings(h, summary);
        h.append("</body></html>\n");
        return h.toString();
    }

    private static void headline(StringBuilder h, FitResult r) {
        h.append("<div class=\"cards\">");
        r.evaluation().ifPresent(e -> {
            card(h, "validation accuracy", pct(e.accuracy()));
            if (e.images() > 0) {
                AccuracyInterval ci = AccuracyInterval.of(e);
                card(h, "95 % interval (n=" + ci.images() + ")", String.format(Locale.ROOT, "%.1f–%.1f %%",
                        100 * ci.low(), 100 * ci.high()));
            }
            card(h, "macro F1", num(e.macroF1()));
            card(h, "validation loss", num(e.loss()));
        });
        card(h, "best epoch", r.bestEpoch() + " / " + r.history().size());
        card(h, "strategy", r.decision().chosen().name().toLowerCase(Locale.ROOT));
        h.append("</div>\n");
    }

    private static void warnings(StringBuilder h, RunSummary summary) {
        h.append("<h2 id=\"warnings\">Warnings</h2>\n");
        if (summary.warnings().isEmpty()) {
            h.append("<p>None: the base's weights look trained, it was trained on images like these, and the"
                    + " validation set is large enough for a ±5-point interval.</p>\n");
            return;
        }
        for (RunWarning w : summary.warnings()) {
            String kind = w.severity() == Severity.WARNING ? "warning" : "info";
            h.append("<div class=\"").append(kind).append("\" data-code=\"").append(esc(w.code().id()))
                    .append("\"><b>").append(kind).append(" (").append(esc(w.code().id())).append(")</b>: ")
                    .append(esc(w.message())).append(".<br>What to do: ").append(esc(w.advice()))
                    .append(".</div>\n");
        }
    }

    private static void card(StringBuilder h, String name, String value) {
        h.append("<div class=\"card\"><b>").append(esc(value)).append("</b>").append(esc(name)).append("</div>");
    }

    private static void strategy(StringBuilder h, FitResult r) {
        h.append("<h2 id=\"strategy\">Strategy</h2>\n<p><b>")
                .append(esc(r.decision().chosen().name().toLowerCase(Locale.ROOT))).append("</b> — ")
                .append(esc(r.decision().reason())).append(".</p>\n<p>");
        if (r.stoppedEarly()) {
            h.append("Stopped early after epoch ").append(r.history().size()).append(" (no validation improvement"
                    + " for ").append(r.config().patience()).append(" epochs). ");
        }
        h.append("The weights of epoch ").append(r.bestEpoch()).append(" were kept (best validation accuracy,"
                + " ties broken by loss).");
        if (r.featureCacheUsed()) {
            h.append(" The frozen backbone's features were computed once and cached; later epochs trained only the"
                    + " head.");
        }
        if (r.resumedAfterEpoch() > 0) {
            h.append(" The run was resumed from its checkpoint after epoch ").append(r.resumedAfterEpoch())
                    .append('.');
        }
        h.append("</p>\n");
    }

    private static void curves(StringBuilder h, FitResult r) throws IOException {
        h.append("<h2 id=\"curves\">Loss and accuracy</h2>\n<div class=\"charts\">");
        h.append("<img alt=\"loss curves\" src=\"data:image/png;base64,")
                .append(Charts.curves("Loss", "loss", r.history(), EpochMetrics::trainLoss, EpochMetrics::valLoss))
                .append("\">");
        h.append("<img alt=\"accuracy curves\" src=\"data:image/png;base64,")
                .append(Charts.curves("Accuracy", "accuracy", r.history(), EpochMetrics::trainAccuracy,
                        EpochMetrics::valAccuracy))
                .append("\"></div>\n<p class=\"sub\">Training loss includes label smoothing and class weights;"
                        + " validation loss is plain cross-entropy. Training accuracy is measured on augmented"
                        + " images when augmentation is on.</p>\n");
    }

    private static void confusion(StringBuilder h, Evaluation e) {
        int[][] cm = e.confusion();
        int max = 1;
        for (int[] row : cm) {
            for (int v : row) {
                max = Math.max(max, v);
            }
        }
        h.append("<h2 id=\"confusion\">Confusion matrix</h2>\n<p class=\"sub\">Rows: true label; columns:"
                + " predicted.</p>\n<table class=\"cm\"><tr><th class=\"l\">true \\ predicted</th>");
        for (String label : e.labels()) {
            h.append("<th>").append(esc(label)).append("</th>");
        }
        h.append("</tr>\n");
        for (int i = 0; i < cm.length; i++) {
            h.append("<tr><th class=\"l\">").append(esc(e.labels().get(i))).append("</th>");
            for (int j = 0; j < cm[i].length; j++) {
                double shade = (double) cm[i][j] / max;
                String colour = i == j ? "46,160,67" : "214,39,40";
                h.append("<td style=\"background:rgba(").append(colour).append(',')
                        .append(String.format(Locale.ROOT, "%.2f", cm[i][j] == 0 ? 0 : 0.15 + 0.6 * shade))
                        .append(")\">").append(cm[i][j]).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n");
    }

    private static void perClass(StringBuilder h, Evaluation e) {
        h.append("<h2 id=\"per-class\">Per class</h2>\n<table><tr><th class=\"l\">label</th><th>precision</th>"
                + "<th>recall</th><th>F1</th><th>images</th></tr>\n");
        for (ClassMetrics c : e.perClass()) {
            h.append("<tr><td class=\"l\">").append(esc(c.label())).append("</td><td>").append(num(c.precision()))
                    .append("</td><td>").append(num(c.recall())).append("</td><td>").append(num(c.f1()))
                    .append("</td><td>").append(c.support()).append("</td></tr>\n");
        }
        String ci = e.images() == 0 ? "" : String.format(Locale.ROOT, " (95 %% CI %.1f–%.1f %%)",
                100 * AccuracyInterval.of(e).low(), 100 * AccuracyInterval.of(e).high());
        h.append("<tr><th class=\"l\">accuracy ").append(pct(e.accuracy())).append(esc(ci))
                .append("</th><th></th><th></th><th>")
                .append(num(e.macroF1())).append(" (macro)</th><th>").append(e.images()).append("</th></tr>\n");
        h.append("</table>\n");
    }

    private static void calibration(StringBuilder h, Calibration c) throws IOException {
        h.append("<h2 id=\"calibration\">Calibration</h2>\n");
        if (c.fitted()) {
            h.append("<p>Temperature <b>").append(String.format(Locale.ROOT, "%.3f", c.temperature()))
                    .append("</b>, fitted on ").append(c.images()).append(" validation images by minimising the"
                            + " negative log-likelihood (").append(num(c.nllBefore())).append(" → ")
                    .append(num(c.nllAfter())).append("). Expected calibration error (").append(c.bins())
                    .append(" equal-width bins): <b>").append(String.format(Locale.ROOT, "%.3f → %.3f",
                            c.before().ece(), c.after().ece())).append("</b>. The model card carries the temperature;"
                            + " the edge agent divides the logits by it before the softmax, so the scores it"
                            + " publishes are the calibrated ones.</p>\n");
        } else {
            h.append("<div class=\"info\" data-code=\"calibration-not-fitted\"><b>not calibrated</b>: ")
                    .append(esc(c.notFitted().get())).append(", so the temperature stays 1 and no per-class"
                            + " thresholds are suggested. ECE (").append(c.bins()).append(" bins): ")
                    .append(String.format(Locale.ROOT, "%.3f", c.before().ece())).append(".</div>\n");
        }
        h.append("<div class=\"charts\"><img alt=\"reliability before calibration\" src=\"data:image/png;base64,")
                .append(Charts.reliability("Before (temperature 1)", c.before())).append("\">");
        if (c.fitted()) {
            h.append("<img alt=\"reliability after calibration\" src=\"data:image/png;base64,")
                    .append(Charts.reliability(String.format(Locale.ROOT, "After (temperature %.3f)",
                            c.temperature()), c.after())).append("\">");
        }
        h.append("</div>\n<p class=\"sub\">Bars: the share of correct top-1 predictions among the validation images"
                + " whose top-1 probability falls in the bin; dashed: perfect calibration. Measured on the images the"
                + " temperature was fitted on; <code>trainer evaluate</code> gives the ECE on held-out images.</p>\n");
        if (!c.fitted()) {
            return;
        }
        h.append("<p>Per-class thresholds for a precision of ").append(pct(c.targetPrecision()))
                .append(" (<code>--target-precision</code>), on the calibrated scores: the lowest score at which the"
                        + " validation predictions of the class reach that precision. They go into the model card;"
                        + " the agent marks a classification below its class's threshold as unknown unless its"
                        + " config overrides them.</p>\n<table><tr><th class=\"l\">label</th><th>threshold</th>"
                        + "<th>predicted</th><th>kept</th><th>precision</th><th>recall</th></tr>\n");
        for (ClassThreshold t : c.thresholds()) {
            h.append("<tr><td class=\"l\">").append(esc(t.label())).append("</td><td>");
            if (t.threshold().isPresent()) {
                h.append(String.format(Locale.ROOT, "%.4f", t.threshold().getAsDouble()));
            } else if (t.predicted() == 0) {
                h.append("none: never predicted");
            } else {
                h.append("none: unreachable (best ").append(num(t.precision())).append(')');
            }
            h.append("</td><td>").append(t.predicted()).append("</td><td>").append(t.kept()).append("</td><td>")
                    .append(t.threshold().isPresent() ? num(t.precision()) : "–").append("</td><td>")
                    .append(t.threshold().isPresent() ? num(t.recall()) : "–").append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    private static void mistakes(StringBuilder h, Evaluation e) {
        h.append("<h2 id=\"mistakes\">Worst mistakes</h2>\n");
        if (e.worst().isEmpty()) {
            h.append("<p>No validation image was misclassified.</p>\n");
            return;
        }
        h.append("<p class=\"sub\">Wrong predictions with the highest confidence first.</p>\n"
                + "<div class=\"mistakes\">");
        ImageDecoder decoder = new ImageDecoder(DecodeLimits.DEFAULT);
        for (Misclassified m : e.worst()) {
            h.append("<div class=\"mistake\">");
            String thumb = thumbnail(decoder, m.file());
            if (thumb != null) {
                h.append("<img alt=\"").append(esc(m.file().getFileName().toString()))
                        .append("\" src=\"data:image/png;base64,").append(thumb).append("\"><br>");
            }
            h.append("<b>").append(esc(m.predicted())).append("</b> ").append(pct(m.confidence()))
                    .append("<br>true: ").append(esc(m.trueLabel())).append("<br><code>")
                    .append(esc(m.file().getFileName().toString())).append("</code></div>");
        }
        h.append("</div>\n");
    }

    private static void skipped(StringBuilder h, FitResult r) {
        h.append("<h2 id=\"skipped\">Skipped files</h2>\n");
        if (r.skipped().isEmpty()) {
            h.append("<p>None: every image could be read.</p>\n");
            return;
        }
        h.append("<p>").append(r.skipped().size()).append(" unreadable image(s) were left out:</p>\n"
                + "<table><tr><th class=\"l\">file</th><th class=\"l\">reason</th></tr>\n");
        r.skipped().forEach(s -> h.append("<tr><td class=\"l\"><code>").append(esc(s.file().toString()))
                .append("</code></td><td class=\"l\">").append(esc(s.reason())).append("</td></tr>\n"));
        h.append("</table>\n");
    }

    private static void timings(StringBuilder h, FitResult r) {
        double total = r.history().stream().mapToDouble(EpochMetrics::seconds).sum();
        h.append("<h2 id=\"timings\">Timings</h2>\n<p>").append(String.format(Locale.ROOT,
                "%.1f s over %d epochs (this process: %.1f s including data loading).", total, r.history().size(),
                r.seconds())).append("</p>\n<table><tr><th>epoch</th><th>seconds</th><th>images/s</th>"
                + "<th>train loss</th><th>train acc</th><th>val loss</th><th>val acc</th><th>learning rate</th>"
                + "<th class=\"l\">notes</th></tr>\n");
        for (EpochMetrics m : r.history()) {
            h.append("<tr><td>").append(m.epoch()).append("</td><td>")
                    .append(String.format(Locale.ROOT, "%.2f", m.seconds())).append("</td><td>")
                    .append(String.format(Locale.ROOT, "%.0f", m.imagesPerSecond())).append("</td><td>")
                    .append(num(m.trainLoss())).append("</td><td>").append(num(m.trainAccuracy())).append("</td><td>")
                    .append(num(m.valLoss())).append("</td><td>").append(num(m.valAccuracy())).append("</td><td>")
                    .append(String.format(Locale.ROOT, "%.2e", m.learningRate())).append("</td><td class=\"l\">")
                    .append(m.improved() ? "best so far " : "").append(m.featureCache() ? "cached features" : "")
                    .append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    private static void settings(StringBuilder h, RunSummary summary) {
        FitResult r = summary.result();
        FitConfig c = r.config();
        Map<String, Object> rows = new TreeMap<>();
        rows.put("base model", summary.baseModel());
        rows.put("data", summary.dataDir());
        rows.put("model package", summary.modelFile().map(Path::toString).orElse("not exported"));
        rows.put("dataset fingerprint", "sha256:" + r.datasetFingerprint());
        rows.put("preprocessing", summary.preprocessing().resize() + " " + summary.preprocessing().resizeSize()
                + ", crop " + summary.preprocessing().cropSize() + ", mean " + summary.preprocessing().mean()
                + ", std " + summary.preprocessing().std());
        h.append("<h2 id=\"settings\">Settings</h2>\n<table>");
        rows.forEach((k, v) -> h.append("<tr><th class=\"l\">").append(esc(k)).append("</th><td class=\"l\">")
                .append(esc(String.valueOf(v))).append("</td></tr>\n"));
        for (var component : FitConfig.class.getRecordComponents()) {
            try {
                Object value = component.getAccessor().invoke(c);
                h.append("<tr><th class=\"l\">").append(esc(component.getName())).append("</th><td class=\"l\">")
                        .append(esc(String.valueOf(value))).append("</td></tr>\n");
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read FitConfig." + component.getName(), e);
            }
        }
        h.append("</table>\n");
    }

    /** A small PNG of the image, or null when it can no longer be read. */
    private static String thumbnail(ImageDecoder decoder, Path file) {
        try {
            BufferedImage image = decoder.decode(file);
            double f = (double) THUMBNAIL / Math.max(image.getWidth(), image.getHeight());
            int w = Math.max(1, (int) Math.round(image.getWidth() * Math.min(1, f)));
            int hgt = Math.max(1, (int) Math.round(image.getHeight() * Math.min(1, f)));
            BufferedImage small = new BufferedImage(w, hgt, BufferedImage.TYPE_INT_RGB);
            var g = small.createGraphics();
            try {
                g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
                g.drawImage(image, 0, 0, w, hgt, null);
            } finally {
                g.dispose();
            }
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            ImageIO.write(small, "png", png);
            return Base64.getEncoder().encodeToString(png.toByteArray());
        } catch (IOException | ImageRejectedException e) {
            return null;
        }
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                default -> b.append(ch);
            }
        }
        return b.toString();
    }

    private static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "–";
    }

    private static String pct(double v) {
        return String.format(Locale.ROOT, "%.1f %%", 100 * v);
    }
}
