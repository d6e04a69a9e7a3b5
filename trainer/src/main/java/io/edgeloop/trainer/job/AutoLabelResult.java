package io.edgeloop.trainer.job;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link LabelJob#auto} did: for each example that was unlabelled, the label it got or why it got none.
 *
 * @param truthSource     what the truth came from, for people ({@code replay folder d (matched by pixels)})
 * @param examples        the examples that were unlabelled, in inbox order
 * @param alreadyLabelled examples left alone because a label was already given (a person's label is never replaced)
 */
public record AutoLabelResult(String truthSource, List<Example> examples, int alreadyLabelled) {

    /**
     * One example's outcome: a label, or the reason there was none.
     *
     * @param id            the example id
     * @param label         the label given, if the truth had one
     * @param noTruthReason why not, when {@code label} is empty
     */
    public record Example(String id, Optional<String> label, Optional<String> noTruthReason) {

        public Example {
            Objects.requireNonNull(id, "id");
            if (label.isPresent() == noTruthReason.isPresent()) {
                throw new IllegalArgumentException("example " + id + " has label " + label + " and reason "
                        + noTruthReason + ", allowed exactly one");
            }
        }
    }

    public AutoLabelResult {
        Objects.requireNonNull(truthSource, "truthSource");
        examples = List.copyOf(examples);
    }

    /** How many examples got a label. */
    public int labelled() {
        return (int) examples.stream().filter(e -> e.label().isPresent()).count();
    }

    /** How many had no ground truth (not in the truth file, no or an ambiguous replay match). */
    public int withoutTruth() {
        return examples.size() - labelled();
    }
}
