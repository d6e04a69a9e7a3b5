package io.edgeloop.trainer.demo;

import java.io.PrintWriter;
import java.io.Writer;

/** Indents every line written through it, so a step's command output sits under the step's title. */
final class IndentingWriter extends Writer {

    private final PrintWriter target;
    private final String indent;
    private boolean lineStart = true;

    IndentingWriter(PrintWriter target, String indent) {
        this.target = target;
        this.indent = indent;
    }

    @Override
    public void write(char[] buf, int off, int len) {
        for (int i = off; i < off + len; i++) {
            char c = buf[i];
            if (lineStart && c != '\n') {
                target.write(indent);
                lineStart = false;
            }
            target.write(c);
            if (c == '\n') {
                lineStart = true;
            }
        }
    }

    @Override
    public void flush() {
        target.flush();
    }

    @Override
    public void close() {
        target.flush();
    }
}
