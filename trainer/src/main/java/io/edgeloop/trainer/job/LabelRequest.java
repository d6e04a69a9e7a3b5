package io.edgeloop.trainer.job;

import io.edgeloop.trainer.collect.ExampleId;
import io.edgeloop.trainer.collect.Labels;
import java.util.Objects;

/**
 * A person's label for one inbox example ({@code trainer label set}). Validated; messages name the fields as the
 * command spells them.
 *
 * @param example the example ({@code --example})
 * @param label   the true label ({@code --as}), {@value Labels#RULE}
 * @param by      who gives it ({@code --by}), recorded as {@code labelledBy}
 * @param check   which labels are accepted
 */
public record LabelRequest(ExampleId example, String label, String by, LabelCheck check) {

    public LabelRequest {
        Objects.requireNonNull(example, "example");
        Labels.require("--as", label);
        if (by == null || by.isBlank() || by.length() > 256) {
            throw new IllegalArgumentException("--by is " + (by == null ? "missing" : "\"" + by + "\"")
                    + ", allowed a non-blank name of at most 256 characters");
        }
        Objects.requireNonNull(check, "check");
    }
}
