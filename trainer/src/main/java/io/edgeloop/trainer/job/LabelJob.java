package io.edgeloop.trainer.job;

import io.edgeloop.protocol.files.AtomicFiles;
import io.edgeloop.trainer.collect.ExampleSidecar;
import io.edgeloop.trainer.collect.Inbox;
import io.edgeloop.trainer.collect.InboxEntry;
import io.edgeloop.trainer.collect.StaleExampleException;
import io.edgeloop.trainer.label.DatasetExport;
import io.edgeloop.trainer.label.GroundTruth;
import io.edgeloop.trainer.label.KnownLabels;
import io.edgeloop.trainer.label.LabelCsv;
import io.edgeloop.trainer.label.ReplayMatcher;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Labelling one inbox of hard examples: what {@code trainer label list / set / auto / export} run, and what the demo
 * and a labelling web app call.
 *
 * <pre>{@code
 * LabelJob inbox = LabelJob.open(work.resolve("inbox"));
 * List<InboxEntry> todo = inbox.list();                              // show them, with the model's top-k
 * inbox.set(new LabelRequest(id, "sandal", "ana", LabelCheck.against(train)));   // a person's label
 * AutoLabelResult r = inbox.auto(AutoLabelRequest.fromReplay(field, 8.0));       // the demo's stand-in
 * DatasetExport.Result e = inbox.export(trainV2);                    // into <label>/hard-<id>.jpg
 * }</pre>
 *
 * <p>Every label given is checked against {@link KnownLabels} (see {@link LabelCheck}): an unknown one is refused,
 * listing the known ones, unless new labels are allowed. Bad input is an {@link IllegalArgumentException} naming the
 * field as the command spells it, its value and what is allowed; nothing is written when it is thrown. An inbox that
 * cannot be read is an {@link IOException} naming the file.
 */
public final class LabelJob {

    private static final String NEW_LABEL_HINT = "or --new-label to add a new class";

    private final Inbox inbox;
    private final Clock clock;

    private LabelJob(Inbox inbox, Clock clock) {
        this.inbox = inbox;
        this.clock = clock;
    }

    /**
     * Opens an existing inbox (the collector's {@code DIR/inbox}); labels are stamped with the system clock.
     *
     * @throws IllegalArgumentException if {@code inbox} is not a directory
     * @throws IOException              if an example in it is unreadable (named)
     */
    public static LabelJob open(Path inbox) throws IOException {
        return open(inbox, Clock.systemUTC());
    }

    /** {@link #open(Path)} with the clock that stamps {@code labelledAt}. */
    public static LabelJob open(Path inbox, Clock clock) throws IOException {
        Objects.requireNonNull(inbox, "inbox");
        Objects.requireNonNull(clock, "clock");
        if (!Files.isDirectory(inbox)) {
            throw new IllegalArgumentException("--inbox " + inbox + " not found, allowed the inbox directory"
                    + " 'trainer collect --dir DIR' fills (DIR/inbox)");
        }
        return new LabelJob(Inbox.openExisting(inbox), clock);
    }

    /** The inbox directory. */
    public Path inbox() {
        return inbox.dir();
    }

    /** Every example, labelled or not, sorted by id. */
    public List<InboxEntry> list() throws IOException {
        return inbox.list();
    }

    /**
     * The labels accepted without {@link LabelCheck#allowNew()}: for a form's choices, or to explain a refusal.
     *
     * @throws IllegalArgumentException if the check's training tree is not a directory
     */
    public KnownLabels knownLabels(LabelCheck check) throws IOException {
        return known(inbox.list(), check);
    }

    /**
     * Gives one example a person's label (relabelling it if it had one).
     *
     * @throws IllegalArgumentException if the example is not in the inbox or the label is not known (and new labels
     *                                  are not allowed); the message lists the known labels
     */
    public LabelChange set(LabelRequest request) throws IOException {
        Objects.requireNonNull(request, "request");
        List<InboxEntry> entries = inbox.list();
        KnownLabels known = known(entries, request.check());
        InboxEntry entry = entries.stream().filter(e -> e.id().equals(request.example())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("--example " + request.example() + " is not in "
                        + inbox.dir() + ", allowed an id listed by 'trainer label list'"));
        boolean isNew = !known.contains(request.label());
        if (isNew && !request.check().allowNew()) {
            throw new IllegalArgumentException("--as is \"" + request.label() + "\", not a known label; allowed "
                    + known.describe() + ", " + NEW_LABEL_HINT);
        }
        ExampleSidecar before = entry.sidecar();
        inbox.update(before.withLabel(request.label(), request.by(), clock.instant()));
        return new LabelChange(request.example(), Optional.ofNullable(before.label()), request.label(),
                request.by(), isNew);
    }

    /**
     * Labels the unlabelled examples from ground truth, recorded as {@value GroundTruth#LABELLED_BY}: a person's
     * label is never replaced. Every label is checked before the first is written.
     *
     * @throws IllegalArgumentException if the truth file, replay tree or training tree is missing or malformed, or
     *                                  the truth gives labels that are not known (each listed with its count)
     * @throws IOException              if the truth file cannot be read or a label cannot be written
     */
    public AutoLabelResult auto(AutoLabelRequest request) throws IOException {
        Objects.requireNonNull(request, "request");
        List<InboxEntry> entries = inbox.list();
        List<InboxEntry> todo = entries.stream().filter(e -> !e.sidecar().answered()).toList();
        KnownLabels inboxKnown = known(entries, request.check());
        GroundTruth truth;
        Map<String, String> unmatched = Map.of();
        String source;
        KnownLabels known;
        if (request.truthFile().isPresent()) {
            Path file = request.truthFile().get();
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("--truth " + file + " not found, allowed a file of CSV"
                        + " <sha256>,<label> lines or a JSON object {\"<sha256>\": \"<label>\"}");
            }
            truth = GroundTruth.read(file);
            source = "--truth " + file;
            known = inboxKnown;
        } else {
            Path replay = request.replay().orElseThrow();
            if (!Files.isDirectory(replay)) {
                throw new IllegalArgumentException("--replay " + replay + " not found, allowed the ImageFolder tree"
                        + " <label>/<image> the device replays");
            }
            ReplayMatcher.Result matched = new ReplayMatcher(replay, request.maxDifference()).match(todo);
            truth = matched.truth();
            unmatched = matched.unmatched();
            source = "--replay " + replay;
            known = inboxKnown.with("the class folders of --replay " + replay, DatasetExport.labelFolders(replay));
        }
        List<AutoLabelResult.Example> outcomes = new ArrayList<>();
        Map<String, Integer> unknown = new TreeMap<>();
        for (InboxEntry e : todo) {
            Optional<String> label = truth.label(e.sidecar().imageSha256());
            if (label.isPresent() && !known.contains(label.get())) {
                unknown.merge(label.get(), 1, Integer::sum);
            }
            outcomes.add(new AutoLabelResult.Example(e.sidecar().id(), label, label.isPresent() ? Optional.empty()
                    : Optional.of(unmatched.getOrDefault(e.sidecar().id(), "image sha256 not in the truth"))));
        }
        if (!unknown.isEmpty() && !request.check().allowNew()) {
            throw new IllegalArgumentException(source + " gives labels that are not known: " + unknown.entrySet()
                    .stream().map(u -> "\"" + u.getKey() + "\" (" + u.getValue() + " example(s))")
                    .collect(Collectors.joining(", ")) + "; allowed " + known.describe() + ", " + NEW_LABEL_HINT
                    + "; nothing labelled");
        }
        for (int i = 0; i < todo.size(); i++) {
            Optional<String> label = outcomes.get(i).label();
            if (label.isPresent()) {
                inbox.update(todo.get(i).sidecar().withLabel(label.get(), GroundTruth.LABELLED_BY, clock.instant()));
            }
        }
        if (request.writeTruth().isPresent()) {
            truth.writeCsv(request.writeTruth().get());
        }
        return new AutoLabelResult(truth.source(), outcomes, entries.size() - todo.size());
    }

    /**
     * Copies the labelled examples into an ImageFolder training tree as {@code <label>/hard-<id>.jpg}; labels must
     * be class folders of the tree, nothing is overwritten, and an example exported before is skipped.
     *
     * @throws IllegalArgumentException if {@code trainingTree} is not a directory, an example's label is not one of
     *                                  its class folders, or a file of that name holds other bytes
     */
    public DatasetExport.Result export(Path trainingTree) throws IOException {
        Objects.requireNonNull(trainingTree, "trainingTree");
        if (!Files.isDirectory(trainingTree)) {
            throw new IllegalArgumentException("--into " + trainingTree + " not found, allowed an ImageFolder"
                    + " training tree <label>/<image> with a folder per class");
        }
        return DatasetExport.export(inbox.list(), trainingTree);
    }

    /** Writes every example as CSV ({@link LabelCsv#COLUMNS}) to {@code file}, atomically. */
    public int exportCsv(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        List<InboxEntry> entries = inbox.list();
        AtomicFiles.replace(file, LabelCsv.write(entries).getBytes(StandardCharsets.UTF_8));
        return entries.size();
    }

    /**
     * Imports answers from a CSV file ({@link LabelCsv}): every row is checked first, then all are written under the
     * inbox lock, each only if its example is unchanged since it was checked.
     *
     * @param by        who is recorded for rows without {@code labelled_by}
     * @param overwrite replace answers already given with different ones
     * @throws IllegalArgumentException listing every bad row by line number (nothing written), or if the file is
     *                                  missing or not UTF-8
     * @throws JobFailure               if an example changed while importing (nothing written)
     */
    public LabelCsv.Plan importCsv(Path file, String by, LabelCheck check, boolean overwrite) throws IOException {
        Objects.requireNonNull(check, "check");
        if (file == null || !Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--from " + file + " not found, allowed a CSV file with the columns id"
                    + " and label (as 'label export-csv' writes it)");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(file)))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("--from " + file + " is not UTF-8 text, allowed a UTF-8 CSV file", e);
        }
        List<InboxEntry> entries = inbox.list();
        LabelCsv.Plan plan = LabelCsv.plan(file.toString(), text, entries, known(entries, check),
                new LabelCsv.ImportOptions(by, clock.instant(), check.allowNew(), overwrite));
        try {
            inbox.replaceAll(plan.replacements());
        } catch (StaleExampleException e) {
            throw new JobFailure(e.getMessage() + "; nothing imported, run the import again", e);
        }
        return plan;
    }

    private static KnownLabels known(List<InboxEntry> entries, LabelCheck check) throws IOException {
        KnownLabels known = KnownLabels.of(entries);
        if (check.trainingTree().isPresent()) {
            Path tree = check.trainingTree().get();
            if (!Files.isDirectory(tree)) {
                throw new IllegalArgumentException("--data " + tree + " not found, allowed an ImageFolder training"
                        + " tree <label>/<image> whose class folders are known labels");
            }
            known = known.with("the class folders of --data " + tree, DatasetExport.labelFolders(tree));
        }
        return known;
    }
}
