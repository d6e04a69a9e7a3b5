package io.edgeloop.trainer.fleet;

import io.edgeloop.protocol.mqtt.ModelRef;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One camera's predictions over one time window, against the reference.
 *
 * @param start                the window's start (windows are aligned to multiples of their length since the epoch)
 * @param model                the model that made the predictions
 * @param messages             metrics messages in the window
 * @param frames               frames classified
 * @param classes              top-1 label to count
 * @param classDivergence      Jensen–Shannon divergence (bits) of the class mix from the baseline; NaN without one
 * @param mostChanged          the label whose share moved most from the baseline
 * @param share                that label's share in the window
 * @param baselineShare        its share in the baseline
 * @param meanConfidence       mean top-1 confidence
 * @param confidenceBins       the window's confidence histogram
 * @param confidenceDivergence Jensen–Shannon divergence (bits) of the histogram from the validation one; NaN without
 * @param judged               whether the window had enough frames to be judged
 * @param reasons              why the window needs attention (empty: it does not, or it was not judged)
 */
public record DriftWindow(Instant start, ModelRef model, int messages, long frames, Map<String, Long> classes,
                          double classDivergence, String mostChanged, double share, double baselineShare,
                          double meanConfidence, List<Long> confidenceBins, double confidenceDivergence,
                          boolean judged, List<String> reasons) {

    public DriftWindow {
        classes = Map.copyOf(classes);
        confidenceBins = List.copyOf(confidenceBins);
        reasons = List.copyOf(reasons);
    }
}
