package io.edgeloop.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class WrappingWriterTest {

    private static String wrap(int width, String text) {
        StringWriter target = new StringWriter();
        try (PrintWriter w = new PrintWriter(new WrappingWriter(target, width))) {
            w.print(text);
        }
        return target.toString();
    }

    @Test
    void aLongLineWrapsAtItsLastSpaceUnderItsOwnIndentationPlusTheHang() {
        String demoLine = "      live agreement with ground truth on the camera stream (v2 was trained on its hard"
                + " frames): v1 84.2% (120 events), v2 100.0% (23)\n";
        String wrapped = wrap(80, demoLine);
        assertEquals("      live agreement with ground truth on the camera stream (v2 was trained on\n"
                + "          its hard frames): v1 84.2% (120 events), v2 100.0% (23)\n", wrapped);
        for (String line : wrapped.split("\n")) {
            assertTrue(line.length() <= 80, line);
        }
        // nothing lost or reordered: the words are the same
        assertEquals(String.join(" ", demoLine.trim().split(" +")), String.join(" ", wrapped.trim().split("\\s+")));
    }

    @Test
    void shortLinesEmptyLinesAndAnUnfinishedLastLinePassUnchanged() {
        assertEquals("[1/9] Split\n\n      12 labelled\nno newline", wrap(80,
                "[1/9] Split\n\n      12 labelled\nno newline"));
    }

    @Test
    void aWordLongerThanTheWidthOverflowsOnALineOfItsOwnAndIsNeverBroken() {
        String path = "target/demo/runs/v2/a-very-long-folder-name-that-no-terminal-of-forty-columns-holds/report.html";
        assertEquals("  report:\n      " + path + "\n      done\n", wrap(40, "  report: " + path + " done\n"));
    }

    @Test
    void finishedLinesReachTheTargetAtFlushAndAnUnfinishedOneWaitsForItsEnd() throws Exception {
        StringWriter target = new StringWriter();
        WrappingWriter w = new WrappingWriter(target, 80);
        w.write("one\ntw");
        w.flush();
        assertEquals("one\n", target.toString());
        w.write("o\n");
        assertEquals("one\ntwo\n", target.toString());
    }

    @Test
    void aWidthTooNarrowToWrapIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new WrappingWriter(new StringWriter(), 10));
        assertEquals("width 10 is too narrow to wrap, at least 20 allowed", e.getMessage());
    }
}
