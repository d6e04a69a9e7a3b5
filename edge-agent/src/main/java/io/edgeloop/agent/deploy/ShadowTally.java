package io.edgeloop.agent.deploy;

import io.edgeloop.protocol.mqtt.ShadowReport;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts of a shadow comparison: frames per active and candidate top-1 label (labels × labels counters, so the
 * memory is bounded by the label count, not the frames). Thread-safe: one writer, readers take snapshots.
 */
final class ShadowTally {

    private final List<String> labels;
    private final Map<String, Integer> index = new HashMap<>();
    private final long[][] confusion;
    private long compared;
    private long agreed;
    private long errors;

    ShadowTally(List<String> labels) {
        this.labels = List.copyOf(labels);
        for (int i = 0; i < labels.size(); i++) {
            index.put(labels.get(i), i);
        }
        this.confusion = new long[labels.size()][labels.size()];
    }

    /**
     * Adds one compared frame.
     *
     * @return whether the two labels agree
     * @throws IllegalArgumentException for a label outside the set
     */
    synchronized boolean add(String active, String candidate) {
        Integer a = index.get(active);
        Integer c = index.get(candidate);
        if (a == null || c == null) {
            throw new IllegalArgumentException("label " + (a == null ? active : candidate) + " is not one of "
                    + labels);
        }
        confusion[a][c]++;
        compared++;
        if (a.equals(c)) {
            agreed++;
            return true;
        }
        return false;
    }

    synchronized void error() {
        errors++;
    }

    synchronized long errors() {
        return errors;
    }

    synchronized long compared() {
        return compared;
    }

    /** Agreed share of compared frames (0 when none). */
    synchronized double agreement() {
        return compared == 0 ? 0 : (double) agreed / compared;
    }

    synchronized ShadowReport report(long skipped) {
        Map<String, ShadowReport.ClassAgreement> perClass = new LinkedHashMap<>();
        List<List<Long>> rows = new ArrayList<>(labels.size());
        for (int a = 0; a < labels.size(); a++) {
            long frames = 0;
            List<Long> row = new ArrayList<>(labels.size());
            for (long n : confusion[a]) {
                frames += n;
                row.add(n);
            }
            rows.add(row);
            if (frames > 0) {
                perClass.put(labels.get(a), new ShadowReport.ClassAgreement(frames,
                        (double) confusion[a][a] / frames));
            }
        }
        return new ShadowReport(compared, skipped, agreement(), perClass, labels, rows);
    }
}
