package io.edgeloop.trainer.fleet;

import io.edgeloop.protocol.mqtt.ModelRef;
import io.edgeloop.protocol.mqtt.PredictionStats;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Groups telemetry per camera into time windows and compares each window with the reference: the class mix by
 * Jensen–Shannon divergence from the training mix (or the camera's first window), the mean top-1 confidence against
 * the validation mean, and the confidence histogram by Jensen–Shannon divergence from the validation histogram.
 * A window with at least {@link DriftThresholds#minFrames()} frames is judged; a camera needs attention when its
 * latest judged window exceeds a threshold, and the reasons say which and by how much. Lines of a model without a
 * reference are left out and counted.
 */
public final class DriftAnalysis {

    /** Windows without telemetry from a camera, while the fleet reports, before it counts as silent. */
    static final int SILENT_WINDOWS = 2;
    /** Metrics messages with no classified frame in a camera's latest window before it counts as silent. */
    static final int SILENT_MESSAGES = 2;

    private final Function<ModelRef, Optional<TrainingDistribution>> references;
    private final Duration window;
    private final DriftThresholds thresholds;
    private final ClassBaseline baseline;

    /**
     * @param references the training distribution of a model (by name and version), empty when there is none
     * @param window     window length, at least a minute
     * @param thresholds when a window needs attention
     * @param baseline   what the class mix is compared with
     */
    public DriftAnalysis(Function<ModelRef, Optional<TrainingDistribution>> references, Duration window,
                         DriftThresholds thresholds, ClassBaseline baseline) {
        this.references = Objects.requireNonNull(references, "references");
        if (window == null || window.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new IllegalArgumentException("--window is " + window + ", allowed at least 1m");
        }
        this.window = window;
        this.thresholds = Objects.requireNonNull(thresholds, "thresholds");
        this.baseline = Objects.requireNonNull(baseline, "baseline");
    }

    /**
     * The result of an analysis.
     *
     * @param cameras     cameras with at least one window, by device and camera id
     * @param withoutReference lines left out because their model has no reference, per model
     */
    public record Result(List<CameraDrift> cameras, Map<ModelRef, Integer> withoutReference) {
        public Result {
            cameras = List.copyOf(cameras);
            withoutReference = Map.copyOf(withoutReference);
        }
    }

    /** Analyses the lines at or after {@code since}. */
    public Result analyse(List<TelemetryLine> lines, Instant since) {
        Map<String, Map<WindowKey, Accumulator>> perCamera = new TreeMap<>();
        Map<ModelRef, TrainingDistribution> known = new LinkedHashMap<>();
        Map<ModelRef, Integer> without = new LinkedHashMap<>();
        Map<String, Instant> lastHeard = new TreeMap<>();
        Instant fleetLast = Instant.MIN;
        for (TelemetryLine line : lines) {
            if (line.at().isBefore(since)) {
                continue;
            }
            lastHeard.merge(line.device() + "/" + line.camera(), line.at(), (a, b) -> a.isAfter(b) ? a : b);
            fleetLast = fleetLast.isAfter(line.at()) ? fleetLast : line.at();
            ModelRef model = ModelRef.of(line.predictions().model().name(), line.predictions().model().version());
            TrainingDistribution reference = known.get(model);
            if (reference == null) {
                Optional<TrainingDistribution> found = references.apply(model);
                if (found.isEmpty()) {
                    without.merge(model, 1, Integer::sum);
                    continue;
                }
                reference = found.get();
                known.put(model, reference);
            }
            long seconds = window.toSeconds();
            Instant start = Instant.ofEpochSecond(Math.floorDiv(line.at().getEpochSecond(), seconds) * seconds);
            perCamera.computeIfAbsent(line.device() + "/" + line.camera(), k -> new TreeMap<>())
                    .computeIfAbsent(new WindowKey(start, model), k -> new Accumulator(line.device(), line.camera()))
                    .add(line.predictions());
        }
        List<CameraDrift> cameras = new ArrayList<>();
        for (Map.Entry<String, Map<WindowKey, Accumulator>> e : perCamera.entrySet()) {
            cameras.add(camera(e.getValue(), known, silence(e.getValue(), lastHeard.get(e.getKey()), fleetLast)));
        }
        return new Result(cameras, without);
    }

    /**
     * Silent: no telemetry for {@value #SILENT_WINDOWS} windows while another camera of the fleet still reports, or
     * telemetry whose latest window classified no frame at all (the agent runs, the camera's source does not).
     */
    private Optional<String> silence(Map<WindowKey, Accumulator> windows, Instant heard, Instant fleetLast) {
        if (Duration.between(heard, fleetLast).compareTo(window.multipliedBy(SILENT_WINDOWS)) >= 0) {
            return Optional.of("silent: no telemetry since " + heard + " while the fleet reported until "
                    + fleetLast);
        }
        Instant latestStart = Instant.MIN;
        long frames = 0;
        int messages = 0;
        for (Map.Entry<WindowKey, Accumulator> e : windows.entrySet()) {
            Instant start = e.getKey().start();
            if (start.isAfter(latestStart)) {
                latestStart = start;
                frames = 0;
                messages = 0;
            }
            if (start.equals(latestStart)) {
                frames += e.getValue().frames;
                messages += e.getValue().messages;
            }
        }
        if (frames == 0 && messages >= SILENT_MESSAGES) {
            return Optional.of("silent: classified no frames in the latest window (" + messages
                    + " metrics messages); is its source down?");
        }
        return Optional.empty();
    }

    private CameraDrift camera(Map<WindowKey, Accumulator> windows, Map<ModelRef, TrainingDistribution> known,
                               Optional<String> silence) {
        List<DriftWindow> out = new ArrayList<>();
        Map<ModelRef, Map<String, Long>> firstWindow = new LinkedHashMap<>();
        Accumulator any = null;
        TrainingDistribution latest = null;
        for (Map.Entry<WindowKey, Accumulator> e : windows.entrySet()) {
            TrainingDistribution reference = known.get(e.getKey().model());
            Accumulator a = e.getValue();
            any = a;
            latest = reference;
            List<String> labels = labels(reference, a);
            double[] shares = shares(labels, a.classes);
            double[] base = null;
            if (baseline == ClassBaseline.TRAINING) {
                base = shares(labels, trainCounts(reference));
            } else {
                if (!firstWindow.containsKey(e.getKey().model()) && a.frames >= thresholds.minFrames()) {
                    firstWindow.put(e.getKey().model(), a.classes);
                }
                Map<String, Long> first = firstWindow.get(e.getKey().model());
                if (first != null) {
                    base = shares(labels, first);
                }
            }
            out.add(window(e.getKey(), a, reference, labels, shares, base));
        }
        return new CameraDrift(any.device, any.camera, out, latest, silence);
    }

    private DriftWindow window(WindowKey key, Accumulator a, TrainingDistribution reference, List<String> labels,
                               double[] shares, double[] base) {
        double classDivergence = Double.NaN;
        String mostChanged = labels.get(0);
        double share = shares[0];
        double baseShare = Double.NaN;
        if (base != null) {
            classDivergence = Divergence.jensenShannon(shares, base);
            int most = 0;
            for (int i = 1; i < labels.size(); i++) {
                if (Math.abs(shares[i] - base[i]) > Math.abs(shares[most] - base[most])) {
                    most = i;
                }
            }
            mostChanged = labels.get(most);
            share = shares[most];
            baseShare = base[most];
        }
        List<Long> bins = new ArrayList<>();
        for (long b : a.bins) {
            bins.add(b);
        }
        double mean = a.frames == 0 ? 0 : a.confidenceSum / a.frames;
        double confidenceDivergence = reference.hasConfidence() && a.frames > 0
                ? Divergence.jensenShannon(Divergence.shares(bins), Divergence.shares(reference.confidenceBins()))
                : Double.NaN;
        boolean judged = a.frames >= thresholds.minFrames();
        List<String> reasons = new ArrayList<>();
        if (judged) {
            if (classDivergence > thresholds.maxClassDivergence()) {
                reasons.add(String.format(Locale.ROOT, "class mix JSD %.3f > %.3f (%s %s vs %s %s)",
                        classDivergence, thresholds.maxClassDivergence(), mostChanged, percent(share),
                        percent(baseShare), baseline == ClassBaseline.TRAINING ? "in training" : "at first"));
            }
            if (reference.hasConfidence() && reference.meanConfidence() - mean > thresholds.maxConfidenceDrop()) {
                reasons.add(String.format(Locale.ROOT, "mean confidence %.2f, %.2f below validation %.2f", mean,
                        reference.meanConfidence() - mean, reference.meanConfidence()));
            }
            if (confidenceDivergence > thresholds.maxConfidenceDivergence()) {
                reasons.add(String.format(Locale.ROOT, "confidence histogram JSD %.3f > %.3f",
                        confidenceDivergence, thresholds.maxConfidenceDivergence()));
            }
        }
        return new DriftWindow(key.start(), key.model(), a.messages, a.frames, a.classes, classDivergence,
                mostChanged, share, baseShare, mean, bins, confidenceDivergence, judged, reasons);
    }

    private static String percent(double share) {
        return Math.round(share * 100) + "%";
    }

    /** The reference's labels, then any label the window has that the reference lacks (sorted). */
    private static List<String> labels(TrainingDistribution reference, Accumulator a) {
        List<String> labels = new ArrayList<>(reference.labels());
        TreeSet<String> extra = new TreeSet<>(a.classes.keySet());
        extra.removeAll(reference.labels());
        labels.addAll(extra);
        return labels;
    }

    private static Map<String, Long> trainCounts(TrainingDistribution reference) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (int i = 0; i < reference.labels().size(); i++) {
            counts.put(reference.labels().get(i), reference.trainCounts().get(i));
        }
        return counts;
    }

    private static double[] shares(List<String> labels, Map<String, Long> counts) {
        List<Long> ordered = new ArrayList<>();
        for (String label : labels) {
            ordered.add(counts.getOrDefault(label, 0L));
        }
        return Divergence.shares(ordered);
    }

    /** A window of one camera and one model. */
    private record WindowKey(Instant start, ModelRef model) implements Comparable<WindowKey> {
        @Override
        public int compareTo(WindowKey o) {
            int c = start.compareTo(o.start);
            if (c != 0) {
                return c;
            }
            c = model.name().compareTo(o.model.name());
            return c != 0 ? c : model.version().compareTo(o.model.version());
        }
    }

    /** Sums of one window's lines. */
    private static final class Accumulator {
        final String device;
        final String camera;
        final Map<String, Long> classes = new TreeMap<>();
        final long[] bins = new long[PredictionStats.BINS];
        long frames;
        double confidenceSum;
        int messages;

        Accumulator(String device, String camera) {
            this.device = device;
            this.camera = camera;
        }

        void add(PredictionStats p) {
            p.classes().forEach((label, n) -> classes.merge(label, n, Long::sum));
            for (int i = 0; i < bins.length; i++) {
                bins[i] += p.confidence().get(i);
            }
            frames += p.frames();
            confidenceSum += p.meanConfidence() * p.frames();
            messages++;
        }
    }
}
