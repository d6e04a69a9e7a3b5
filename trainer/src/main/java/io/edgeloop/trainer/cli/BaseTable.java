package io.edgeloop.trainer.cli;

import io.edgeloop.trainer.base.BaseEntry;
import java.util.Locale;

/** The rows of {@code trainer base list}: at most {@value #WIDTH} columns, so an 80-column terminal never wraps. */
final class BaseTable {

    /** Widest line. */
    static final int WIDTH = 79;

    private static final String FORMAT = "%s %-21s %6s %-8s %s";

    private BaseTable() {
    }

    static String header() {
        return String.format(Locale.ROOT, FORMAT, " ", "NAME", "MB", "INPUT", "WHAT");
    }

    static String row(BaseEntry e, boolean cached) {
        String line = String.format(Locale.ROOT, FORMAT, cached ? "*" : " ", e.name(),
                String.format(Locale.ROOT, "%.1f", e.sizeMegabytes()), e.inputText(), e.description());
        return line.length() <= WIDTH ? line : line.substring(0, WIDTH - 3) + "...";
    }
}
