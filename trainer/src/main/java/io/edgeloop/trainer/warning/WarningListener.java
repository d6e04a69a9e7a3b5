package io.edgeloop.trainer.warning;

/** Hears each warning as soon as it is known (before training for the base and data checks). */
@FunctionalInterface
public interface WarningListener {

    /** Ignores every warning (they still reach the report). */
    WarningListener NONE = w -> { };

    void warned(RunWarning warning);
}
