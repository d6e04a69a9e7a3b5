package io.edgeloop.trainer.cli;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.edgeloop.protocol.mqtt.ModelRef;
import io.edgeloop.trainer.fleet.CameraDrift;
import io.edgeloop.trainer.fleet.ClassBaseline;
import io.edgeloop.trainer.fleet.DriftThresholds;
import io.edgeloop.trainer.fleet.DriftWindow;
import io.edgeloop.trainer.fleet.TrainingDistribution;
import io.edgeloop.trainer.job.FleetReport;
import io.edgeloop.trainer.job.FleetReportJob;
import io.edgeloop.trainer.job.FleetReportRequest;
import io.edgeloop.trainer.registry.ModelRegistry;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code trainer fleet report}: class-mix and confidence drift per camera over time, against the training
 * distribution, from the telemetry {@code trainer collect} records (see {@code docs/fleet.md}).
 */
@Command(name = "fleet", mixinStandardHelpOptions = true,
        description = "The fleet's drift telemetry: class mix and confidence per camera against the training data.",
        subcommands = {FleetCommand.Report.class})
public final class FleetCommand implements Callable<Integer> {

    static final int WIDTH = ModelsCommand.WIDTH;
    private static final String RAMP = " .:-=+*#%@";
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter SHORT = DateTimeFormatter.ofPattern("MM-dd HH:mm", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    /** Window, version, frames, JSD, changed, conf, hist, mark: 79 columns. */
    private static final String ROW = "  %-11s  %-10s %7s  %5s  %-19s %4s %-10s%s";
    private static final Pattern DURATION = Pattern.compile("(\\d+)([smhdw])");

    @Override
    public Integer call() {
        throw new IllegalArgumentException("missing subcommand, allowed report");
    }

    /** {@code trainer fleet report}. */
    @Command(name = "report", mixinStandardHelpOptions = true,
            description = "Per camera and time window: class mix (Jensen-Shannon divergence from the training mix),"
                    + " mean confidence and its histogram against the validation set, and which cameras need"
                    + " attention and why.")
    static final class Report implements Callable<Integer> {

        @Spec
        private CommandSpec spec;

        @Option(names = "--dir", required = true, paramLabel = "DIR",
                description = "The collector's working directory (trainer collect --dir DIR records DIR/telemetry).")
        Path dir;

        @Option(names = "--model", paramLabel = "MODEL.onnx",
                description = "Compare with this model's training distribution (metrics.json beside it); telemetry"
                        + " of other models is left out.")
        Path model;

        @Option(names = "--name", paramLabel = "NAME",
                description = "Compare each camera with the registered version of NAME it ran.")
        String name;

        @Option(names = "--registry", paramLabel = "DIR", defaultValue = ModelRegistry.DEFAULT_FOLDER,
                description = "Registry folder for --name. Default: ${DEFAULT-VALUE}.")
        Path registry;

        @Option(names = "--since", paramLabel = "WHEN",
                description = "Leave out older telemetry: a duration back from now (24h, 7d) or an instant"
                        + " (2026-12-07T09:00:00Z, 2026-12-07). Default: all.")
        String since;

        @Option(names = "--window", paramLabel = "DURATION", defaultValue = "1h",
                description = "Window length (15m, 1h, 1d; at least 1m). Default: ${DEFAULT-VALUE}.")
        String window;

        @Option(names = "--baseline", paramLabel = "BASE", defaultValue = "training",
                description = "Compare the class mix with the training mix (training) or with the camera's first"
                        + " window with enough frames (first-window). Default: ${DEFAULT-VALUE}.")
        String baseline;

        @Option(names = "--max-class-divergence", paramLabel = "BITS", defaultValue = "0.1",
                description = "Flag a class-mix Jensen-Shannon divergence above BITS (0..1). Default:"
                        + " ${DEFAULT-VALUE}.")
        double maxClassDivergence;

        @Option(names = "--max-confidence-divergence", paramLabel = "BITS", defaultValue = "0.15",
                description = "Flag a confidence-histogram Jensen-Shannon divergence above BITS. Default:"
                        + " ${DEFAULT-VALUE}.")
        double maxConfidenceDivergence;

        @Option(names = "--max-confidence-drop", paramLabel = "X", defaultValue = "0.1",
                description = "Flag a mean confidence more than X below the validation mean. Default:"
                        + " ${DEFAULT-VALUE}.")
        double maxConfidenceDrop;

        @Option(names = "--min-frames", paramLabel = "N", defaultValue = "200",
                description = "Judge only windows with at least N frames. Default: ${DEFAULT-VALUE}.")
        long minFrames;

        @Option(names = "--json", description = "Print JSON on stdout.")
        boolean json;

        private final Clock clock;

        Report() {
            this(Clock.systemUTC());
        }

        Report(Clock clock) {
            this.clock = clock;
        }

        @Override
        public Integer call() throws Exception {
            Duration length = duration("--window", window);
            FleetReportRequest request = new FleetReportRequest(dir, Optional.ofNullable(model),
                    name == null ? Optional.empty() : Optional.of(registry), Optional.ofNullable(name),
                    since == null ? Optional.empty() : Optional.of(since(since, clock.instant())), length,
                    new DriftThresholds(maxClassDivergence, maxConfidenceDivergence, maxConfidenceDrop, minFrames),
                    baseline(baseline));
            FleetReport report = new FleetReportJob().run(request);
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(JSON.writeValueAsString(document(report, request)));
            } else {
                print(out, report, request);
            }
            out.flush();
            return ExitCodes.OK;
        }
    }

    static ClassBaseline baseline(String text) {
        return switch (text) {
            case "training" -> ClassBaseline.TRAINING;
            case "first-window" -> ClassBaseline.FIRST_WINDOW;
            default -> throw new IllegalArgumentException("--baseline is " + text + ", allowed training or"
                    + " first-window");
        };
    }

    /** {@code 90s}, {@code 15m}, {@code 1h}, {@code 7d}, {@code 2w} or ISO-8601 ({@code PT1H}). */
    static Duration duration(String option, String text) {
        Matcher m = DURATION.matcher(text);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofDays(7 * n);
            };
        }
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(option + " is " + text + ", allowed a duration such as 90s, 15m, 1h,"
                    + " 7d, 2w or PT1H", e);
        }
    }

    /** A duration back from {@code now}, an ISO-8601 instant, or a UTC date. */
    static Instant since(String text, Instant now) {
        if (DURATION.matcher(text).matches() || text.startsWith("P")) {
            return now.minus(duration("--since", text));
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            try {
                return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException again) {
                throw new IllegalArgumentException("--since is " + text + ", allowed a duration back from now (24h,"
                        + " 7d), an instant (2026-12-07T09:00:00Z) or a date (2026-12-07)", e);
            }
        }
    }

    static void print(PrintWriter out, FleetReport report, FleetReportRequest request) {
        List<CameraDrift> cameras = report.analysis().cameras();
        List<String> flagged = cameras.stream().filter(CameraDrift::needsAttention).map(CameraDrift::id).toList();
        ModelsCommand.wrap(out, "Fleet drift: ", cameras.size() + (cameras.size() == 1 ? " camera, " : " cameras, ")
                + (flagged.isEmpty() ? "none needs attention" : flagged.size() + " need"
                + (flagged.size() == 1 ? "s" : "") + " attention: " + String.join(", ", flagged)));
        ModelsCommand.wrap(out, "Reference: ", report.reference());
        ModelsCommand.wrap(out, "Windows: ", human(report.window()) + " (UTC), " + report.since()
                .map(s -> "since " + MINUTE.format(s)).orElse("all telemetry") + " from " + report.telemetry());
        ModelsCommand.wrap(out, "Columns: ", "JSD is the Jensen-Shannon divergence (bits, 0 same .. 1"
                + " disjoint) of the class mix from " + (request.baseline() == ClassBaseline.TRAINING
                ? "the training mix" : "the camera's first window") + "; changed is the class that moved most"
                + " (now/then); conf is the mean top-1 confidence, hist its 10 bins 0..1 ('" + RAMP.substring(1)
                + "' by share).");
        if (cameras.isEmpty()) {
            out.println();
            out.println("No telemetry" + (report.since().isPresent() ? " in that time" : "")
                    + " from a model with a reference.");
        }
        for (CameraDrift c : cameras) {
            out.println();
            printCamera(out, c, request.thresholds());
        }
        printFooter(out, report);
    }

    private static void printCamera(PrintWriter out, CameraDrift c, DriftThresholds thresholds) {
        Optional<DriftWindow> judged = c.judged();
        if (c.silence().isPresent()) {
            out.println(c.id() + ": NEEDS ATTENTION (silent)");
            for (String reason : c.reasons()) {
                ModelsCommand.wrap(out, "  ! ", reason);
            }
        } else if (judged.isEmpty()) {
            long most = c.windows().stream().mapToLong(DriftWindow::frames).max().orElse(0);
            out.println(c.id() + ": not judged (at most " + most + " frames in a window, --min-frames "
                    + thresholds.minFrames() + ")");
        } else if (c.needsAttention()) {
            out.println(c.id() + ": NEEDS ATTENTION (window " + SHORT.format(judged.get().start()) + ")");
            for (String reason : judged.get().reasons()) {
                ModelsCommand.wrap(out, "  ! ", reason);
            }
        } else {
            out.println(c.id() + ": ok (latest judged window " + SHORT.format(judged.get().start()) + ")");
        }
        out.println(String.format(Locale.ROOT, ROW, "window", "version", "frames", "JSD", "changed", "conf",
                "hist", "").stripTrailing());
        for (DriftWindow w : c.windows()) {
            String changed = Double.isNaN(w.baselineShare()) ? "-"
                    : clip(w.mostChanged(), 9) + " " + pct(w.share()) + "/" + pct(w.baselineShare());
            out.println(String.format(Locale.ROOT, ROW, SHORT.format(w.start()), clip(w.model().version(), 10),
                    w.frames(), Double.isNaN(w.classDivergence()) ? "-"
                            : String.format(Locale.ROOT, "%.3f", w.classDivergence()), changed,
                    w.frames() == 0 ? "-" : String.format(Locale.ROOT, "%.2f", w.meanConfidence()),
                    histogram(w.confidenceBins()), w.judged() ? (w.reasons().isEmpty() ? "" : " !") : " ~")
                    .stripTrailing());
        }
        TrainingDistribution ref = c.reference();
        if (ref.hasConfidence()) {
            out.println(String.format(Locale.ROOT, ROW, "validation", clip(ref.model().version(), 10),
                    ref.validationImages(), "", "", String.format(Locale.ROOT, "%.2f", ref.meanConfidence()),
                    histogram(ref.confidenceBins()), "").stripTrailing());
        }
    }

    private static void printFooter(PrintWriter out, FleetReport report) {
        boolean any = report.skippedLines() > 0 || !report.analysis().withoutReference().isEmpty()
                || !report.notes().isEmpty();
        if (!any) {
            return;
        }
        out.println();
        out.println("(! needs attention, ~ too few frames to judge)");
        if (!report.analysis().withoutReference().isEmpty()) {
            List<String> models = new ArrayList<>();
            report.analysis().withoutReference().entrySet().stream()
                    .sorted(Map.Entry.comparingByKey((a, b) -> (a.name() + " " + a.version())
                            .compareTo(b.name() + " " + b.version())))
                    .forEach(e -> models.add(e.getKey().name() + " " + e.getKey().version() + " (" + e.getValue()
                            + (e.getValue() == 1 ? " line)" : " lines)")));
            ModelsCommand.wrap(out, "Left out, no reference: ", String.join(", ", models));
        }
        if (report.skippedLines() > 0) {
            ModelsCommand.wrap(out, "Unreadable lines: ", report.skippedLines() + " skipped, e.g. "
                    + report.skippedReasons().get(0));
        }
        for (String note : report.notes()) {
            ModelsCommand.wrap(out, "Note: ", note);
        }
    }

    /** Ten bins as ten characters, each by its share of the largest bin. */
    static String histogram(List<Long> bins) {
        long max = bins.stream().mapToLong(Long::longValue).max().orElse(0);
        StringBuilder sb = new StringBuilder();
        for (long b : bins) {
            int level = b == 0 || max == 0 ? 0 : (int) Math.max(1, Math.round(9.0 * b / max));
            sb.append(RAMP.charAt(level));
        }
        return sb.toString();
    }

    private static String human(Duration d) {
        if (d.toDays() > 0 && d.equals(Duration.ofDays(d.toDays()))) {
            return d.toDays() + " d";
        }
        if (d.toHours() > 0 && d.equals(Duration.ofHours(d.toHours()))) {
            return d.toHours() + " h";
        }
        if (d.toMinutes() > 0 && d.equals(Duration.ofMinutes(d.toMinutes()))) {
            return d.toMinutes() + " min";
        }
        return d.toSeconds() + " s";
    }

    private static String pct(double share) {
        return Math.round(share * 100) + "%";
    }

    private static String clip(String s, int width) {
        return s.length() <= width ? s : s.substring(0, width - 1) + "~";
    }

    static Map<String, Object> document(FleetReport report, FleetReportRequest request) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("telemetry", report.telemetry().toString());
        doc.put("reference", report.reference());
        doc.put("since", report.since().map(Instant::toString).orElse(null));
        doc.put("windowSeconds", report.window().toSeconds());
        doc.put("baseline", request.baseline() == ClassBaseline.TRAINING ? "training" : "first-window");
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("maxClassDivergence", request.thresholds().maxClassDivergence());
        t.put("maxConfidenceDivergence", request.thresholds().maxConfidenceDivergence());
        t.put("maxConfidenceDrop", request.thresholds().maxConfidenceDrop());
        t.put("minFrames", request.thresholds().minFrames());
        doc.put("thresholds", t);
        List<Map<String, Object>> cameras = new ArrayList<>();
        for (CameraDrift c : report.analysis().cameras()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("device", c.device());
            m.put("camera", c.camera());
            m.put("status", c.needsAttention() ? "attention" : c.judged().isEmpty() ? "not-judged" : "ok");
            m.put("reasons", c.reasons());
            m.put("reference", reference(c.reference()));
            List<Map<String, Object>> windows = new ArrayList<>();
            for (DriftWindow w : c.windows()) {
                Map<String, Object> wm = new LinkedHashMap<>();
                wm.put("start", w.start().toString());
                wm.put("model", model(w.model()));
                wm.put("messages", w.messages());
                wm.put("frames", w.frames());
                wm.put("classes", new java.util.TreeMap<>(w.classes()));
                wm.put("classDivergence", finite(w.classDivergence()));
                Map<String, Object> changed = new LinkedHashMap<>();
                changed.put("label", w.mostChanged());
                changed.put("share", w.share());
                changed.put("baselineShare", finite(w.baselineShare()));
                wm.put("mostChanged", changed);
                wm.put("meanConfidence", w.meanConfidence());
                wm.put("confidenceBins", w.confidenceBins());
                wm.put("confidenceDivergence", finite(w.confidenceDivergence()));
                wm.put("judged", w.judged());
                wm.put("reasons", w.reasons());
                windows.add(wm);
            }
            m.put("windows", windows);
            cameras.add(m);
        }
        doc.put("cameras", cameras);
        List<Map<String, Object>> without = new ArrayList<>();
        report.analysis().withoutReference().forEach((ref, n) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("model", model(ref));
            m.put("lines", n);
            without.add(m);
        });
        doc.put("withoutReference", without);
        doc.put("skippedLines", report.skippedLines());
        doc.put("skippedReasons", report.skippedReasons());
        doc.put("notes", report.notes());
        return doc;
    }

    private static Map<String, Object> reference(TrainingDistribution d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", model(d.model()));
        Map<String, Object> counts = new LinkedHashMap<>();
        for (int i = 0; i < d.labels().size(); i++) {
            counts.put(d.labels().get(i), d.trainCounts().get(i));
        }
        m.put("trainClassCounts", counts);
        if (d.hasConfidence()) {
            Map<String, Object> conf = new LinkedHashMap<>();
            conf.put("bins", d.confidenceBins());
            conf.put("mean", d.meanConfidence());
            conf.put("images", d.validationImages());
            m.put("validationConfidence", conf);
        } else {
            m.put("validationConfidence", null);
        }
        return m;
    }

    private static Map<String, Object> model(ModelRef ref) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", ref.name());
        m.put("version", ref.version());
        return m;
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
