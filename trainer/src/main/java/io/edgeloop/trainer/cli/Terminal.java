package io.edgeloop.trainer.cli;

/** What the trainer knows about the terminal its output goes to. */
final class Terminal {

    /** Width assumed when {@code COLUMNS} is not set (or not a number): the classic terminal. */
    static final int DEFAULT_WIDTH = 80;

    private Terminal() {
    }

    /** True when a person is watching (a console is attached and the terminal is not "dumb"). */
    static boolean interactive() {
        return System.console() != null && !"dumb".equals(System.getenv("TERM"));
    }

    /** {@code COLUMNS} when the shell exports it, else {@link #DEFAULT_WIDTH}. */
    static int width() {
        try {
            return Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "" + DEFAULT_WIDTH).trim());
        } catch (NumberFormatException e) {
            return DEFAULT_WIDTH;
        }
    }
}
