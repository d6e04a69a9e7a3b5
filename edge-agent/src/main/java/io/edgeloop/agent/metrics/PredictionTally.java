package io.edgeloop.agent.metrics;

import io.edgeloop.protocol.mqtt.ModelRef;
import io.edgeloop.protocol.mqtt.PredictionStats;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One camera's top-1 class counts and top-1 confidence histogram for one model, for drift telemetry
 * ({@link PredictionStats}). Counters run from the moment the camera first used the model; the metrics publisher
 * reports the difference between two {@link #snapshot snapshots}. Recording takes the object's monitor (uncontended:
 * one writer, a reader once per metrics interval) and allocates nothing, so a snapshot is always consistent: its
 * class counts, its bins and its frame count add up.
 */
public final class PredictionTally {

    private final ModelRef model;
    private final List<String> labels;
    private final Map<String, Integer> index;
    private final long[] classes;
    private final long[] bins = new long[PredictionStats.BINS];
    private final long startedNanos;
    private long frames;
    private double confidenceSum;

    /**
     * @param model  the model the counts belong to
     * @param labels its labels, in output order
     */
    public PredictionTally(ModelRef model, List<String> labels) {
        this(model, labels, System.nanoTime());
    }

    PredictionTally(ModelRef model, List<String> labels, long startedNanos) {
        this.model = Objects.requireNonNull(model, "model");
        this.labels = List.copyOf(labels);
        this.index = new HashMap<>();
        for (int i = 0; i < this.labels.size(); i++) {
            index.put(this.labels.get(i), i);
        }
        this.classes = new long[this.labels.size()];
        this.startedNanos = startedNanos;
    }

    public ModelRef model() {
        return model;
    }

    /**
     * Counts one classified frame.
     *
     * @param topLabel   the model's best label (one of its labels)
     * @param confidence its probability, 0..1
     * @throws IllegalArgumentException for a label the model does not have
     */
    public synchronized void record(String topLabel, double confidence) {
        Integer i = index.get(topLabel);
        if (i == null) {
            throw new IllegalArgumentException("label \"" + topLabel + "\" is not one of model " + model.name() + " "
                    + model.version() + "'s labels");
        }
        classes[i]++;
        bins[PredictionStats.bin(confidence)]++;
        frames++;
        confidenceSum += Math.max(0, Math.min(1, confidence));
    }

    /** The counters now. */
    public Snapshot snapshot() {
        return snapshot(System.nanoTime());
    }

    synchronized Snapshot snapshot(long nowNanos) {
        return new Snapshot(this, classes.clone(), bins.clone(), frames, confidenceSum, nowNanos);
    }

    /**
     * Counters of one tally at one moment.
     *
     * @param tally         whose counters these are
     * @param classes       per label, in the model's label order
     * @param bins          {@value PredictionStats#BINS} confidence bins
     * @param frames        frames counted
     * @param confidenceSum sum of their top-1 confidences
     * @param atNanos       when ({@link System#nanoTime()})
     */
    public record Snapshot(PredictionTally tally, long[] classes, long[] bins, long frames, double confidenceSum,
                           long atNanos) {

        /**
         * What was counted since {@code earlier}, as the payload reports it: the difference when {@code earlier} is
         * a snapshot of the same tally, else everything since the tally started (a model swap, or the first
         * message).
         *
         * @param earlier the previous snapshot of the camera, or {@code null}
         */
        public PredictionStats since(Snapshot earlier) {
            boolean same = earlier != null && earlier.tally == tally;
            long sinceNanos = same ? earlier.atNanos : tally.startedNanos;
            Map<String, Long> counts = new HashMap<>();
            for (int i = 0; i < classes.length; i++) {
                long n = classes[i] - (same ? earlier.classes[i] : 0);
                if (n > 0) {
                    counts.put(tally.labels.get(i), n);
                }
            }
            Long[] perBin = new Long[bins.length];
            for (int i = 0; i < bins.length; i++) {
                perBin[i] = bins[i] - (same ? earlier.bins[i] : 0);
            }
            long n = frames - (same ? earlier.frames : 0);
            double sum = confidenceSum - (same ? earlier.confidenceSum : 0);
            double mean = n == 0 ? 0 : Math.max(0, Math.min(1, Math.round(sum / n * 1000) / 1000.0));
            double seconds = Math.round(Math.max(0, atNanos - sinceNanos) / 1e7) / 100.0;
            return new PredictionStats(tally.model, seconds, n, counts, List.of(perBin), mean);
        }
    }
}
