package io.edgeloop.trainer.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The size in the float16 base's card note (the note itself is checked in Float16ImportTest). */
class PrecisionNoteTest {

    @Test
    void sizeIsInMegabytesFromATenthOfOneAndInKilobytesBelow() {
        assertEquals("13.6 MB", OnnxExporter.size(13_600_000));
        assertEquals("0.1 MB", OnnxExporter.size(100_000));
        assertEquals("100 KB", OnnxExporter.size(99_999));
        assertEquals("9 KB", OnnxExporter.size(9_432));
        assertEquals("1 KB", OnnxExporter.size(12));
    }
}
