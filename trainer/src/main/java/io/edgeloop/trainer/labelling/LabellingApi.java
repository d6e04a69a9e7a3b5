package io.edgeloop.trainer.labelling;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeloop.trainer.collect.ExampleId;
import io.edgeloop.trainer.collect.ExampleSidecar;
import io.edgeloop.trainer.collect.Inbox;
import io.edgeloop.trainer.collect.InboxEntry;
import io.edgeloop.trainer.collect.Labels;
import io.edgeloop.trainer.collect.StaleExampleException;
import io.edgeloop.trainer.label.DatasetExport;
import io.edgeloop.trainer.label.KnownLabels;
import io.edgeloop.trainer.label.LabelCsv;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What the labelling app's endpoints do, apart from HTTP: read the inbox, answer an example conditionally, undo,
 * export into the training tree, CSV out and in. Each refusal is an {@link ApiException} with the status to send:
 * 404 for an example that is not in the inbox (ids are looked up, never used as paths), 400 for bad input naming what
 * is allowed, 409 when someone else answered first (with their answer), 428 when a write names no version.
 */
final class LabellingApi {

    /** The progress count shown in the page. */
    record Progress(int total, int answered, int labelled, int discarded) {
    }

    /** Everything the page needs to draw itself. */
    record State(List<String> labels, List<String> labelSources, Progress progress, String data,
                 List<ExampleView> examples) {
    }

    /**
     * The reply to a write: the example as it is now. (No progress: counting would read the whole inbox on every
     * key press; the page counts from its own list, and {@code GET /api/state} has the count.)
     */
    record Written(ExampleView example) {
    }

    private static final Set<String> ANSWER_FIELDS = Set.of("label", "discard", "by", "newLabel");

    private final Inbox inbox;
    private final Path data;
    private final Clock clock;
    private final UndoHistory history = new UndoHistory();

    LabellingApi(Inbox inbox, Path data, Clock clock) {
        this.inbox = Objects.requireNonNull(inbox, "inbox");
        this.data = Objects.requireNonNull(data, "data");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    State state() throws IOException {
        List<InboxEntry> entries = inbox.list();
        KnownLabels known = known(entries);
        return new State(List.copyOf(known.labels()), known.sources(), progress(entries), data.toString(),
                entries.stream().map(ExampleView::of).toList());
    }

    ExampleView example(String id) throws IOException, ApiException {
        return ExampleView.of(entry(id));
    }

    /** The JPEG file of an example (found by id, so a crafted id can name no other file). */
    Path image(String id) throws IOException, ApiException {
        return entry(id).image();
    }

    /**
     * Answers one example: {@code {"label": "...", "by": "...", "newLabel": false}} or {@code {"discard": true,
     * "by": "..."}}, written only if the example still has version {@code ifMatch}.
     */
    Written answer(String id, Optional<String> ifMatch, JsonNode body) throws IOException, ApiException {
        InboxEntry entry = entry(id);
        String etag = ifMatch.orElseThrow(() -> new ApiException(428, "If-Match is missing, allowed the etag of"
                + " the example as last read (" + entry.etag() + "), so a write cannot overwrite an answer it has"
                + " not seen"));
        requireFields(body, ANSWER_FIELDS);
        String by = text(body, "by").orElseThrow(() -> new ApiException(400, "by is missing, allowed your name (the"
                + " name field at the top of the page)"));
        if (by.isBlank() || by.length() > 256) {
            throw new ApiException(400, "by is \"" + by + "\", allowed a non-blank name of at most 256 characters");
        }
        Optional<String> label = text(body, "label");
        boolean discard = flag(body, "discard");
        boolean newLabel = flag(body, "newLabel");
        if (label.isPresent() == discard) {
            throw new ApiException(400, "the answer is " + (discard ? "both a label and discard" : "empty")
                    + ", allowed {\"label\": \"<label>\"} or {\"discard\": true}");
        }
        ExampleSidecar updated;
        if (discard) {
            updated = entry.sidecar().withDiscard(by, clock.instant());
        } else {
            String l = label.get();
            try {
                Labels.require("label", l);
            } catch (IllegalArgumentException e) {
                throw new ApiException(400, e.getMessage(), Map.of("allowed", Labels.RULE.replace("\\\\", "\\")));
            }
            // A class folder of --data is known without reading the inbox (the common case, and the fast one).
            KnownLabels known = DatasetExport.labelFolders(data).contains(l) || newLabel ? null : known(inbox.list());
            if (known != null && !known.contains(l)) {
                throw new ApiException(400, "label is \"" + l + "\", not a known label; allowed " + known.describe()
                        + ", or the \"new label\" action to add a new class", Map.of("labels", known.labels()));
            }
            updated = entry.sidecar().withLabel(l, by, clock.instant());
        }
        return write(entry, updated, etag);
    }

    /** Undoes the write through this server that produced version {@code ifMatch} of the example. */
    Written undo(String id, Optional<String> ifMatch) throws IOException, ApiException {
        InboxEntry entry = entry(id);
        String etag = ifMatch.orElseThrow(() -> new ApiException(428, "If-Match is missing, allowed the etag the"
                + " answer being undone produced"));
        UndoHistory.Step step = history.producing(entry.sidecar().id(), etag).orElseThrow(() -> new ApiException(409,
                "nothing to undo for " + id + " at version " + etag + ": no answer written here produced it",
                Map.of("current", ExampleView.of(entry))));
        try {
            InboxEntry restored = inbox.replace(step.before(), etag);
            history.undone(entry.sidecar().id(), step);
            return new Written(ExampleView.of(restored));
        } catch (StaleExampleException e) {
            throw conflict(e);
        }
    }

    /**
     * Copies the labelled examples into the training tree ({@code label export}); {@code {"createFolders": [...]}}
     * first creates class folders for new labels, which must be labels given in the inbox.
     */
    Map<String, Object> export(JsonNode body) throws IOException, ApiException {
        requireFields(body, Set.of("createFolders"));
        List<String> create = new ArrayList<>();
        JsonNode folders = body.get("createFolders");
        if (folders != null && !folders.isArray()) {
            throw new ApiException(400, "createFolders is " + folders + ", allowed a list of labels");
        }
        if (folders != null) {
            for (JsonNode f : folders) {
                if (!f.isTextual()) {
                    throw new ApiException(400, "createFolders holds " + f + ", allowed labels (text)");
                }
                create.add(f.asText());
            }
        }
        List<InboxEntry> entries = inbox.list();
        SortedSet<String> missing = new TreeSet<>();
        List<String> present = DatasetExport.labelFolders(data);
        for (InboxEntry e : entries) {
            if (e.sidecar().labelled() && !present.contains(e.sidecar().label())) {
                missing.add(e.sidecar().label());
            }
        }
        for (String c : create) {
            if (!missing.contains(c)) {
                throw new ApiException(400, "createFolders names \"" + c + "\", allowed labels given in the inbox"
                        + " that have no class folder in " + data + ": " + missing);
            }
        }
        if (!create.containsAll(missing)) {
            SortedSet<String> left = new TreeSet<>(missing);
            create.forEach(left::remove);
            throw new ApiException(400, "labels " + left + " have no class folder in " + data + ", allowed the class"
                    + " folders " + present + "; confirm creating them as new classes", Map.of("missingFolders",
                    List.copyOf(left)));
        }
        for (String c : create) {
            Files.createDirectories(data.resolve(Labels.require("createFolders", c)));
        }
        try {
            DatasetExport.Result r = DatasetExport.export(entries, data);
            Map<String, Object> reply = new LinkedHashMap<>();
            reply.put("exported", r.exported());
            reply.put("total", r.total());
            reply.put("alreadyPresent", r.alreadyPresent());
            reply.put("unlabelled", r.unlabelled());
            reply.put("discarded", r.discarded());
            reply.put("into", data.toString());
            return reply;
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, e.getMessage());
        }
    }

    String csv() throws IOException {
        return LabelCsv.write(inbox.list());
    }

    /** Imports a CSV upload: every row checked first; bad rows (by line) mean nothing is written. */
    Map<String, Object> importCsv(String text, String by, boolean newLabel, boolean overwrite)
            throws IOException, ApiException {
        List<InboxEntry> entries = inbox.list();
        LabelCsv.Plan plan;
        try {
            plan = LabelCsv.plan("the upload", text, entries, known(entries),
                    new LabelCsv.ImportOptions(by, clock.instant(), newLabel, overwrite));
        } catch (LabelCsv.BadCsvException e) {
            throw new ApiException(400, e.getMessage(), Map.of("badRows", e.badRows()));
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, e.getMessage());
        }
        try {
            inbox.replaceAll(plan.replacements());
        } catch (StaleExampleException e) {
            throw conflict(e);
        }
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("newAnswers", plan.newAnswers());
        reply.put("changed", plan.changed());
        reply.put("unchanged", plan.unchanged());
        reply.put("blank", plan.blank());
        reply.put("progress", progress(inbox.list()));
        return reply;
    }

    private Written write(InboxEntry entry, ExampleSidecar updated, String etag) throws IOException, ApiException {
        try {
            InboxEntry written = inbox.replace(updated, etag);
            history.record(entry.sidecar().id(), entry.sidecar(), written.etag());
            return new Written(ExampleView.of(written));
        } catch (StaleExampleException e) {
            throw conflict(e);
        }
    }

    private static ApiException conflict(StaleExampleException e) {
        ExampleSidecar now = e.current().sidecar();
        String other = now.discarded() ? "discarded by " + now.labelledBy() : now.labelled() ? "labelled \""
                + now.label() + "\" by " + now.labelledBy() : "unanswered again";
        return new ApiException(409, now.id() + " changed since you saw it: it is now " + other
                + "; nothing written, look again and answer anew", Map.of("current", ExampleView.of(e.current())));
    }

    private InboxEntry entry(String id) throws IOException, ApiException {
        ExampleId parsed;
        try {
            parsed = ExampleId.parse(id);
        } catch (IllegalArgumentException e) {
            throw new ApiException(404, "no example " + quoted(id) + " in the inbox (" + e.getMessage() + ")");
        }
        return inbox.get(parsed).orElseThrow(() -> new ApiException(404, "no example " + quoted(id)
                + " in the inbox, allowed an id from the list"));
    }

    private KnownLabels known(List<InboxEntry> entries) throws IOException {
        return KnownLabels.of(entries).with("the class folders of --data " + data, DatasetExport.labelFolders(data));
    }

    private static Progress progress(List<InboxEntry> entries) {
        int labelled = (int) entries.stream().filter(e -> e.sidecar().labelled()).count();
        int discarded = (int) entries.stream().filter(e -> e.sidecar().discarded()).count();
        return new Progress(entries.size(), labelled + discarded, labelled, discarded);
    }

    private static void requireFields(JsonNode body, Set<String> allowed) throws ApiException {
        if (!body.isObject()) {
            throw new ApiException(400, "the body is " + body.getNodeType() + ", allowed a JSON object with "
                    + new TreeSet<>(allowed));
        }
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw new ApiException(400, "field " + f + " is unknown, allowed " + new TreeSet<>(allowed));
            }
        }
    }

    private static Optional<String> text(JsonNode body, String field) throws ApiException {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isTextual()) {
            throw new ApiException(400, field + " is " + v + ", allowed text");
        }
        return Optional.of(v.asText());
    }

    private static boolean flag(JsonNode body, String field) throws ApiException {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return false;
        }
        if (!v.isBoolean()) {
            throw new ApiException(400, field + " is " + v + ", allowed true or false");
        }
        return v.asBoolean();
    }

    private static String quoted(String id) {
        String shown = id.length() > 80 ? id.substring(0, 80) + "..." : id;
        return "\"" + shown.replaceAll("\\p{Cntrl}", "?") + "\"";
    }
}
