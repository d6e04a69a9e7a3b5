package io.edgeloop.trainer.fleet;

import io.edgeloop.protocol.mqtt.CameraMetrics;
import io.edgeloop.protocol.mqtt.DeviceMetrics;
import io.edgeloop.protocol.mqtt.ModelRef;
import io.edgeloop.protocol.mqtt.Payloads;
import io.edgeloop.protocol.mqtt.PredictionStats;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Constructed drift telemetry: cameras that report one metrics message a minute, each frame's class drawn from a
 * given mix and its confidence from a given histogram, with a fixed seed.
 */
public final class FleetTelemetry {

    public static final List<String> LABELS = List.of("bottle", "can", "jar", "empty");
    public static final ModelRef MODEL = ModelRef.of("shelves", "2");
    public static final Instant T0 = Instant.parse("2026-12-07T09:00:00Z");
    /** The validation histogram: mostly confident. */
    public static final double[] CONFIDENT = {0, 0, 0, 0.01, 0.02, 0.04, 0.08, 0.15, 0.25, 0.45};
    /** A histogram of a camera the model is unsure about. */
    public static final double[] UNSURE = {0, 0, 0.05, 0.15, 0.25, 0.25, 0.15, 0.1, 0.03, 0.02};
    public static final double[] EVEN = {0.25, 0.25, 0.25, 0.25};

    private final Random random;

    public FleetTelemetry(long seed) {
        this.random = new Random(seed);
    }

    /** The reference: 50 training images per class, 200 validation images with the {@link #CONFIDENT} bins. */
    public static TrainingDistribution reference() {
        List<Long> bins = new ArrayList<>();
        for (double share : CONFIDENT) {
            bins.add(Math.round(share * 200));
        }
        return new TrainingDistribution(MODEL, LABELS, List.of(50L, 50L, 50L, 50L), bins, 0.85,
                bins.stream().mapToLong(Long::longValue).sum(), 1.0);
    }

    /** One minute of one camera: {@code frames} frames from the class mix and confidence histogram given. */
    public PredictionStats minute(ModelRef model, int frames, double[] mix, double[] confidence) {
        Map<String, Long> classes = new LinkedHashMap<>();
        long[] bins = new long[PredictionStats.BINS];
        double sum = 0;
        for (int i = 0; i < frames; i++) {
            classes.merge(LABELS.get(draw(mix)), 1L, Long::sum);
            int bin = draw(confidence);
            bins[bin]++;
            sum += (bin + 0.5) / PredictionStats.BINS;
        }
        List<Long> binList = new ArrayList<>();
        for (long b : bins) {
            binList.add(b);
        }
        return new PredictionStats(model, 60, frames, classes, binList,
                frames == 0 ? 0 : Math.round(sum / frames * 1000) / 1000.0);
    }

    /** {@code minutes} lines of one camera from {@code start}, one a minute. */
    public List<TelemetryLine> camera(String device, String camera, Instant start, int minutes, int framesPerMinute,
                                      double[] mix, double[] confidence) {
        List<TelemetryLine> lines = new ArrayList<>();
        for (int m = 0; m < minutes; m++) {
            lines.add(new TelemetryLine(start.plus(Duration.ofMinutes(m + 1)).minusSeconds(1), device, camera,
                    minute(MODEL, framesPerMinute, mix, confidence)));
        }
        return lines;
    }

    /** A metrics message of one device with one camera carrying {@code predictions}, as JSON bytes. */
    public static byte[] metricsPayload(String device, String camera, Instant at, PredictionStats predictions) {
        return Payloads.encode(new DeviceMetrics(1, device, at, 60, List.of(new CameraMetrics(camera, 1, 60, 0, 0,
                5, 8, predictions)), 0, 0.1, 1_000_000, 0, 0, 0, 0));
    }

    private int draw(double[] shares) {
        double u = random.nextDouble();
        double acc = 0;
        for (int i = 0; i < shares.length; i++) {
            acc += shares[i];
            if (u < acc) {
                return i;
            }
        }
        int last = shares.length - 1;
        while (shares[last] == 0) {
            last--;
        }
        return last;
    }
}
