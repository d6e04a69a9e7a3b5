package io.edgeloop.protocol.mqtt;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One entry of a top-k list.
 *
 * @param label class label from the model card
 * @param score calibrated probability in 0..1 (softmax of logits divided by the card's temperature)
 */
public record Prediction(String label, @JsonProperty(required = true) double score) {

    public Prediction {
        Fields.text("label", label, 256);
        Fields.unit("score", score);
    }

    /** Checks a top-k list: 1 to 100 entries, unique labels, scores not increasing. Returns an immutable copy. */
    static List<Prediction> topK(String field, List<Prediction> top) {
        Fields.present(field, top, "a non-empty list of {label, score}");
        if (top.isEmpty() || top.size() > 100) {
            throw new IllegalArgumentException(field + " has " + top.size() + " entries, allowed 1..100");
        }
        Set<String> labels = new HashSet<>();
        for (int i = 0; i < top.size(); i++) {
            Prediction p = Fields.present(field + "[" + i + "]", top.get(i), "{label, score}");
            if (!labels.add(p.label())) {
                throw new IllegalArgumentException(field + "[" + i + "].label is \"" + p.label()
                        + "\", a duplicate, allowed unique labels");
            }
            if (i > 0 && p.score() > top.get(i - 1).score()) {
                throw new IllegalArgumentException(field + "[" + i + "].score is " + p.score() + ", allowed at most "
                        + field + "[" + (i - 1) + "].score (" + top.get(i - 1).score() + "): sorted by score, best"
                        + " first");
            }
        }
        return List.copyOf(top);
    }
}
