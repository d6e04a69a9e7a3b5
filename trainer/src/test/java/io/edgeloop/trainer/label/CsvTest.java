package io.edgeloop.trainer.label;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The label files' CSV dialect: quoting both ways, and line numbers that survive quoted line breaks. */
class CsvTest {

    @Test
    void quotedFieldsRoundTrip() {
        List<String> fields = List.of("plain", "with, comma", "with \"quotes\"", "two\nlines", "");
        String line = Csv.line(fields);
        assertEquals("plain,\"with, comma\",\"with \"\"quotes\"\"\",\"two\nlines\",\r\n", line);
        List<Csv.Row> rows = Csv.parse(line + Csv.line(List.of("a", "b")));
        assertEquals(fields, rows.get(0).fields());
        assertEquals(1, rows.get(0).line());
        assertEquals(List.of("a", "b"), rows.get(1).fields());
        assertEquals(3, rows.get(1).line(), "the quoted line break counts");
    }

    @Test
    void blankLinesAreSkippedAndLineNumbersKept() {
        List<Csv.Row> rows = Csv.parse("\uFEFFid,label\n\n\r\nx,y");
        assertEquals(2, rows.size());
        assertEquals(List.of("id", "label"), rows.get(0).fields());
        assertEquals(4, rows.get(1).line());
    }

    @Test
    void brokenQuotingNamesTheLine() {
        assertEquals("line 2: a quoted field is not closed, allowed a field \"...\" that ends with a quote",
                assertThrows(IllegalArgumentException.class, () -> Csv.parse("a,b\n\"open,b\n")).getMessage());
        assertEquals("line 1: text after a closing quote, allowed a comma or the end of the line (quote a field as"
                + " \"...\" and double quotes inside it)", assertThrows(IllegalArgumentException.class,
                        () -> Csv.parse("\"a\"b,c")).getMessage());
    }
}
