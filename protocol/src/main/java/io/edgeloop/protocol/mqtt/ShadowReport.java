package io.edgeloop.protocol.mqtt;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a shadow candidate compares with the active model so far, carried by deploy status messages while
 * {@code shadowing} and in the final {@code active} or {@code shadow-dropped} one.
 *
 * @param compared  frames both models classified
 * @param skipped   sampled frames the candidate did not see because it was still busy (never waited for)
 * @param agreement share of compared frames whose top-1 labels agree, 0..1 (0 when none were compared)
 * @param perClass  per active top-1 label: frames and the share of them the candidate agreed on
 * @param labels    the label order of {@code confusion} (the active model's labels)
 * @param confusion frames per active top-1 label (rows) and candidate top-1 label (columns), labels × labels
 */
public record ShadowReport(long compared, long skipped, double agreement, Map<String, ClassAgreement> perClass,
        List<String> labels, List<List<Long>> confusion) {

    /** Most labels a report carries: the confusion has labels² cells. */
    public static final int MAX_LABELS = 1000;

    /**
     * One class's share.
     *
     * @param frames    compared frames the active model put in this class
     * @param agreement share of them the candidate put there too, 0..1
     */
    public record ClassAgreement(long frames, double agreement) {
        public ClassAgreement {
            Fields.nonNegative("perClass.frames", frames);
            Fields.unit("perClass.agreement", agreement);
        }
    }

    public ShadowReport {
        Fields.nonNegative("compared", compared);
        Fields.nonNegative("skipped", skipped);
        Fields.unit("agreement", agreement);
        perClass = Collections.unmodifiableMap(new LinkedHashMap<>(Fields.present("perClass", perClass,
                "an object of label → {frames, agreement}")));
        labels = List.copyOf(Fields.present("labels", labels, "the active model's labels"));
        if (labels.isEmpty() || labels.size() > MAX_LABELS) {
            throw new IllegalArgumentException("labels has " + labels.size() + " entries, allowed 1.." + MAX_LABELS);
        }
        for (String label : perClass.keySet()) {
            if (!labels.contains(label)) {
                throw new IllegalArgumentException("perClass has \"" + Fields.abbreviate(label)
                        + "\", allowed one of labels");
            }
        }
        Fields.present("confusion", confusion, "a labels × labels matrix of frame counts");
        if (confusion.size() != labels.size()) {
            throw new IllegalArgumentException("confusion has " + confusion.size() + " rows, allowed "
                    + labels.size() + " (one per label)");
        }
        for (List<Long> row : confusion) {
            if (row == null || row.size() != labels.size()) {
                throw new IllegalArgumentException("confusion has a row of " + (row == null ? 0 : row.size())
                        + " cells, allowed " + labels.size() + " (one per label)");
            }
            for (Long n : row) {
                if (n == null || n < 0) {
                    throw new IllegalArgumentException("confusion has " + n + ", allowed an integer >= 0");
                }
            }
        }
        confusion = confusion.stream().map(List::copyOf).toList();
    }
}
