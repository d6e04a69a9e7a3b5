package io.edgeloop.trainer.job;

import io.edgeloop.trainer.collect.ExampleId;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link LabelJob#set} did.
 *
 * @param example  the example
 * @param previous its label before, if it had one (then this was a relabel)
 * @param label    its label now
 * @param by       who gave it
 * @param newLabel whether the label was not known before (allowed by {@link LabelCheck#allowNew()})
 */
public record LabelChange(ExampleId example, Optional<String> previous, String label, String by, boolean newLabel) {

    public LabelChange {
        Objects.requireNonNull(example, "example");
        Objects.requireNonNull(previous, "previous");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(by, "by");
    }
}
