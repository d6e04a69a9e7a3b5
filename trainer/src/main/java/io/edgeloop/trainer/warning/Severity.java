package io.edgeloop.trainer.warning;

import java.util.Locale;

/** How much a warning matters: {@code warning} can make the result meaningless, {@code info} is worth knowing. */
public enum Severity {
    WARNING,
    INFO;

    /** The lower-case name used in {@code metrics.json} and on the terminal. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
