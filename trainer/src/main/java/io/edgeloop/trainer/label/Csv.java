package io.edgeloop.trainer.label;

import java.util.ArrayList;
import java.util.List;

/**
 * The CSV dialect of the label files (RFC 4180): comma-separated, a field with a comma, quote, CR or LF is quoted and
 * its quotes doubled, lines end with CRLF on writing and with LF or CRLF on reading. Records keep the line they start
 * on, so a bad row can be named by line number.
 */
public final class Csv {

    /**
     * One record.
     *
     * @param line   the 1-based line it starts on
     * @param fields its fields
     */
    public record Row(int line, List<String> fields) {
    }

    private Csv() {
    }

    /** {@code value} as one CSV field. */
    public static String field(String value) {
        if (value.chars().anyMatch(c -> c == ',' || c == '"' || c == '\r' || c == '\n')) {
            return "\"" + value.replace("\"", "\"\"") + "\"";
        }
        return value;
    }

    /** One CSV line (with CRLF) of these fields. */
    static String line(List<String> fields) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < fields.size(); i++) {
            line.append(i == 0 ? "" : ",").append(field(fields.get(i)));
        }
        return line.append("\r\n").toString();
    }

    /**
     * Parses CSV text; blank lines are skipped.
     *
     * @throws IllegalArgumentException naming the line of a quote that is not closed or is followed by text
     */
    public static List<Row> parse(String text) {
        List<Row> rows = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int line = 1;
        int rowStart = 1;
        int i = text.startsWith("\uFEFF") ? 1 : 0;
        boolean quoted = false;
        boolean afterQuote = false;
        boolean rowHasContent = false;
        for (; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                    afterQuote = true;
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    field.append(c);
                }
                continue;
            }
            if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
                afterQuote = false;
                rowHasContent = true;
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                if (rowHasContent || field.length() > 0 || afterQuote) {
                    fields.add(field.toString());
                    rows.add(new Row(rowStart, List.copyOf(fields)));
                }
                fields.clear();
                field.setLength(0);
                afterQuote = false;
                rowHasContent = false;
                line++;
                rowStart = line;
            } else if (afterQuote) {
                throw new IllegalArgumentException("line " + line + ": text after a closing quote, allowed a comma or"
                        + " the end of the line (quote a field as \"...\" and double quotes inside it)");
            } else if (c == '"' && field.length() == 0) {
                quoted = true;
                rowHasContent = true;
            } else {
                field.append(c);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("line " + rowStart + ": a quoted field is not closed, allowed a field"
                    + " \"...\" that ends with a quote");
        }
        if (rowHasContent || field.length() > 0 || afterQuote) {
            fields.add(field.toString());
            rows.add(new Row(rowStart, List.copyOf(fields)));
        }
        return rows;
    }
}
