package io.edgeloop.trainer.label;

import io.edgeloop.protocol.mqtt.Prediction;
import io.edgeloop.trainer.collect.ExampleId;
import io.edgeloop.trainer.collect.ExampleSidecar;
import io.edgeloop.trainer.collect.Inbox;
import io.edgeloop.trainer.collect.InboxEntry;
import io.edgeloop.trainer.collect.Labels;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The inbox as a CSV file for teams that label elsewhere (a spreadsheet, another tool), and back.
 *
 * <p>{@link #write} gives one row per example with the columns {@link #COLUMNS}: {@code id} (the example id),
 * {@code device}, {@code camera}, {@code captured_at} (ISO-8601), {@code reason} (as in the payload:
 * {@code low-confidence}, {@code margin}, {@code disagreement}, {@code entropy}, {@code class}, {@code audit}),
 * {@code model} ({@code name version}), {@code predicted} and {@code score} (the model's top-1), {@code top} (the
 * top-k as {@code label:score;...}), and the answer: {@code label}, {@code labelled_by}, {@code labelled_at}
 * (ISO-8601), {@code discarded} ({@code true} or empty).
 *
 * <p>{@link #plan} reads such a file back. Only {@code id} and {@code label} are required columns; {@code
 * labelled_by}, {@code labelled_at} and {@code discarded} are used when present; other columns are ignored, so an
 * exported file imports unchanged. A row with a label labels its example, a row with {@code discarded} {@code true}
 * and no label discards it, a row with neither is skipped. Every row is checked before anything is written; bad rows
 * are reported by line number together, and then nothing is applied.
 */
public final class LabelCsv {

    /** The exported columns, in order. */
    public static final List<String> COLUMNS = List.of("id", "device", "camera", "captured_at", "reason", "model",
            "predicted", "score", "top", "label", "labelled_by", "labelled_at", "discarded");

    private static final List<String> REQUIRED = List.of("id", "label");

    /**
     * How an import treats answers already given.
     *
     * @param by        who is recorded for rows without {@code labelled_by}
     * @param at        when, for rows without {@code labelled_at}
     * @param allowNew  accept labels that are not {@code known} (a new class on purpose)
     * @param overwrite replace an answer already given with a different one (otherwise such a row is bad)
     */
    public record ImportOptions(String by, Instant at, boolean allowNew, boolean overwrite) {

        public ImportOptions {
            if (by == null || by.isBlank() || by.length() > 256) {
                throw new IllegalArgumentException("--by is " + (by == null ? "missing" : "\"" + by + "\"")
                        + ", allowed a non-blank name of at most 256 characters");
            }
            Objects.requireNonNull(at, "at");
        }
    }

    /**
     * A row that cannot be imported.
     *
     * @param line    its 1-based line in the file
     * @param message what is wrong and what is allowed
     */
    public record BadRow(int line, String message) {

        @Override
        public String toString() {
            return "line " + line + ": " + message;
        }
    }

    /** The file has bad rows; nothing was applied. */
    public static final class BadCsvException extends IllegalArgumentException {

        private static final long serialVersionUID = 1L;

        /** The bad rows, by line; not serialised (an exception of a running program, never stored). */
        private final transient List<BadRow> badRows;

        BadCsvException(String source, List<BadRow> badRows) {
            super(badRows.size() + " bad row(s) in " + source + ", nothing imported: " + badRows.stream()
                    .map(BadRow::toString).collect(Collectors.joining("; ")));
            this.badRows = List.copyOf(badRows);
        }

        /** The bad rows, by line. */
        public List<BadRow> badRows() {
            return badRows;
        }
    }

    /**
     * What an import will write.
     *
     * @param replacements the conditional writes, one per changed example (apply with {@link Inbox#replaceAll})
     * @param newAnswers   examples answered for the first time
     * @param changed      examples whose answer changes (only with {@code overwrite})
     * @param unchanged    rows that give the answer the example already has
     * @param blank        rows with neither a label nor {@code discarded}
     */
    public record Plan(List<Inbox.Replacement> replacements, int newAnswers, int changed, int unchanged, int blank) {

        public Plan {
            replacements = List.copyOf(replacements);
        }
    }

    private LabelCsv() {
    }

    /** The examples as CSV text, a header and one row each. */
    public static String write(List<InboxEntry> entries) {
        StringBuilder csv = new StringBuilder(Csv.line(COLUMNS));
        for (InboxEntry e : entries) {
            ExampleSidecar s = e.sidecar();
            Prediction top1 = s.top().isEmpty() ? null : s.top().get(0);
            csv.append(Csv.line(List.of(s.id(), s.device(), s.camera(), s.capturedAt().toString(), reason(s),
                    s.model().name() + " " + s.model().version(), top1 == null ? "" : top1.label(),
                    top1 == null ? "" : score(top1.score()),
                    s.top().stream().map(p -> p.label() + ":" + score(p.score())).collect(Collectors.joining(";")),
                    s.label() == null ? "" : s.label(), s.labelledBy() == null ? "" : s.labelledBy(),
                    s.labelledAt() == null ? "" : s.labelledAt().toString(), s.discarded() ? "true" : "")));
        }
        return csv.toString();
    }

    /**
     * Checks every row of {@code text} against the inbox and the known labels and returns what to write.
     *
     * @param source  the file name (or "the upload"), for the message
     * @param entries the inbox as read now (each entry's version makes the writes conditional)
     * @param known   the labels accepted without {@code allowNew}
     * @throws BadCsvException          listing every bad row by line number
     * @throws IllegalArgumentException if the header lacks a required column or the CSV cannot be parsed
     */
    public static Plan plan(String source, String text, List<InboxEntry> entries, KnownLabels known,
                            ImportOptions options) {
        List<Csv.Row> rows;
        try {
            rows = Csv.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException(source + " is empty, allowed a header line with the columns "
                    + REQUIRED + " (optional labelled_by, labelled_at, discarded) and a row per example");
        }
        Map<String, Integer> columns = new HashMap<>();
        List<String> header = rows.get(0).fields();
        for (int i = 0; i < header.size(); i++) {
            columns.putIfAbsent(header.get(i).strip().toLowerCase(Locale.ROOT), i);
        }
        List<String> missing = REQUIRED.stream().filter(c -> !columns.containsKey(c)).toList();
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(source + " line 1: the header " + header + " lacks " + missing
                    + ", allowed a header with the columns " + REQUIRED + " (optional labelled_by, labelled_at,"
                    + " discarded; other columns are ignored)");
        }
        Map<String, InboxEntry> byId = entries.stream().collect(Collectors.toMap(e -> e.sidecar().id(),
                Function.identity()));
        Map<String, Integer> seen = new HashMap<>();
        List<BadRow> bad = new ArrayList<>();
        List<Inbox.Replacement> replacements = new ArrayList<>();
        int fresh = 0;
        int changed = 0;
        int unchanged = 0;
        int blank = 0;
        for (Csv.Row row : rows.subList(1, rows.size())) {
            String problem;
            try {
                RowValues v = RowValues.of(row, columns, header.size());
                String id = v.get("id");
                Integer earlier = seen.putIfAbsent(id, row.line());
                InboxEntry entry = byId.get(id);
                if (id.isEmpty()) {
                    problem = "id is empty, allowed an example id as 'label export-csv' writes it";
                } else if (earlier != null) {
                    problem = "example " + id + " is also on line " + earlier + ", allowed one row per example";
                } else if (entry == null) {
                    ExampleId.parse(id);
                    problem = "example " + id + " is not in the inbox, allowed an id listed by 'label list --all'";
                } else {
                    ExampleSidecar wanted = answer(entry.sidecar(), v, known, options);
                    ExampleSidecar now = entry.sidecar();
                    if (wanted == null) {
                        blank++;
                    } else if (sameAnswer(now, wanted)) {
                        unchanged++;
                    } else if (now.answered() && !options.overwrite()) {
                        problem = "example " + id + " is already " + describe(now) + ", the row says "
                                + describe(wanted) + "; allowed the same answer, or --overwrite to replace it";
                        bad.add(new BadRow(row.line(), problem));
                        continue;
                    } else {
                        replacements.add(new Inbox.Replacement(wanted, entry.etag()));
                        if (now.answered()) {
                            changed++;
                        } else {
                            fresh++;
                        }
                    }
                    continue;
                }
            } catch (IllegalArgumentException e) {
                problem = e.getMessage();
            }
            bad.add(new BadRow(row.line(), problem));
        }
        if (!bad.isEmpty()) {
            throw new BadCsvException(source, bad);
        }
        return new Plan(replacements, fresh, changed, unchanged, blank);
    }

    /** The sidecar with the row's answer, or null for a blank row. */
    private static ExampleSidecar answer(ExampleSidecar now, RowValues v, KnownLabels known, ImportOptions options) {
        String label = v.get("label");
        String discardedText = v.get("discarded").toLowerCase(Locale.ROOT);
        if (!List.of("", "true", "false").contains(discardedText)) {
            throw new IllegalArgumentException("discarded is \"" + v.get("discarded") + "\", allowed true, false or"
                    + " empty");
        }
        boolean discarded = discardedText.equals("true");
        if (label.isEmpty() && !discarded) {
            return null;
        }
        if (!label.isEmpty() && discarded) {
            throw new IllegalArgumentException("label is \"" + label + "\" and discarded is true, allowed one of"
                    + " them");
        }
        String by = v.get("labelled_by").isEmpty() ? options.by() : v.get("labelled_by");
        Instant at = options.at();
        if (!v.get("labelled_at").isEmpty()) {
            try {
                at = Instant.parse(v.get("labelled_at"));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("labelled_at is \"" + v.get("labelled_at") + "\", allowed an"
                        + " ISO-8601 instant such as 2026-12-07T12:00:00Z, or empty", e);
            }
        }
        if (by.isBlank() || by.length() > 256) {
            throw new IllegalArgumentException("labelled_by is \"" + by + "\", allowed a non-blank name of at most 256"
                    + " characters");
        }
        if (discarded) {
            return now.withDiscard(by, at);
        }
        Labels.require("label", label);
        if (!known.contains(label) && !options.allowNew()) {
            throw new IllegalArgumentException("label is \"" + label + "\", not a known label; allowed "
                    + known.describe() + ", or --new-label to add a new class");
        }
        return now.withLabel(label, by, at);
    }

    private static boolean sameAnswer(ExampleSidecar a, ExampleSidecar b) {
        return a.discarded() == b.discarded() && Objects.equals(a.label(), b.label());
    }

    private static String describe(ExampleSidecar s) {
        return s.discarded() ? "discarded by " + s.labelledBy() : s.labelled() ? "labelled \"" + s.label() + "\" by "
                + s.labelledBy() : "unanswered";
    }

    private static String reason(ExampleSidecar s) {
        return s.reason().wireName();
    }

    private static String score(double score) {
        return String.format(Locale.ROOT, "%.4f", score);
    }

    /** A row's values by column name; a column the header lacks reads as empty. */
    private record RowValues(Map<String, String> values) {

        static RowValues of(Csv.Row row, Map<String, Integer> columns, int width) {
            if (row.fields().size() != width) {
                throw new IllegalArgumentException("has " + row.fields().size() + " field(s), allowed " + width
                        + " as in the header");
            }
            Map<String, String> values = new HashMap<>();
            columns.forEach((name, index) -> values.put(name, row.fields().get(index).strip()));
            return new RowValues(values);
        }

        String get(String column) {
            return values.getOrDefault(column, "");
        }
    }
}
