package io.edgeloop.trainer.cli;

import java.io.IOException;
import java.io.Writer;

/**
 * Wraps lines longer than a width at their last space before it, continuing under the line's own indentation
 * plus {@value #HANG} spaces, so a narrative like the demo's stays readable in an 80-column terminal. A word
 * longer than the width (a path, a URL) is never broken: it overflows on a line of its own. Text is passed on a
 * line at a time (a line can only be wrapped once it is whole): {@link #flush()} passes on the finished lines and
 * keeps an unfinished one, {@link #close()} passes that on too.
 */
final class WrappingWriter extends Writer {

    /** Extra indentation of a continuation line. */
    static final int HANG = 4;

    private final Writer target;
    private final int width;
    private final StringBuilder line = new StringBuilder();

    WrappingWriter(Writer target, int width) {
        if (width < 20) {
            throw new IllegalArgumentException("width " + width + " is too narrow to wrap, at least 20 allowed");
        }
        this.target = target;
        this.width = width;
    }

    @Override
    public void write(char[] buf, int off, int len) throws IOException {
        for (int i = off; i < off + len; i++) {
            char c = buf[i];
            if (c == '\n') {
                emit(line);
                target.write('\n');
                line.setLength(0);
            } else {
                line.append(c);
            }
        }
    }

    private void emit(CharSequence text) throws IOException {
        String rest = text.toString();
        int indent = 0;
        while (indent < rest.length() && rest.charAt(indent) == ' ') {
            indent++;
        }
        String hang = " ".repeat(Math.min(indent + HANG, width / 2));
        while (rest.length() > width) {
            int cut = rest.lastIndexOf(' ', width);
            if (cut <= hang.length() || rest.substring(0, cut).isBlank()) {
                cut = rest.indexOf(' ', width); // one word longer than the line: let it overflow, cut after it
                if (cut < 0) {
                    break;
                }
            }
            target.write(rest, 0, cut);
            target.write('\n');
            rest = hang + rest.substring(cut + 1).stripLeading();
        }
        target.write(rest);
    }

    @Override
    public void flush() throws IOException {
        target.flush();
    }

    @Override
    public void close() throws IOException {
        emit(line);
        line.setLength(0);
        target.flush();
    }
}
