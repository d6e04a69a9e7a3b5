package io.edgeloop.trainer.cli;

import io.edgeloop.trainer.label.DatasetExport;
import io.edgeloop.trainer.label.GroundTruth;
import io.edgeloop.trainer.label.ReplayMatcher;

import io.edgeloop.protocol.mqtt.Prediction;
import io.edgeloop.trainer.cli.CommandLines;
import io.edgeloop.trainer.collect.ExampleId;
import io.edgeloop.trainer.collect.ExampleSidecar;
import io.edgeloop.trainer.collect.Inbox;
import io.edgeloop.trainer.collect.InboxEntry;
import io.edgeloop.trainer.collect.Labels;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code trainer label}: {@code list} the inbox, {@code set} one example's label, {@code auto}-label from ground
 * truth (a stand-in for a person, marked as such), {@code export} labelled examples into a training tree.
 */
@Command(name = "label", mixinStandardHelpOptions = true,
        description = "Label collected hard examples and export them as training data.",
        subcommands = {LabelCommand.ListExamples.class, LabelCommand.Set.class, LabelCommand.Auto.class,
            LabelCommand.Export.class})
public final class LabelCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;



    @Override
    public Integer call() {
        return CommandLines.badInput(spec.commandLine(), "missing subcommand, allowed list, set, auto or export");
    }

    private static Inbox open(Path dir) throws IOException {
        return Inbox.openExisting(dir);
    }

    private static int inboxProblem(CommandLine cmd, Path dir, IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return CommandLines.badInput(cmd, "inbox " + dir + " not found (the collector's DIR/inbox)");
        }
        return CommandLines.failure(cmd, "inbox " + dir + ": " + e.getMessage());
    }

    /** {@code trainer label list --inbox DIR [--all]}. */
    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List unlabelled examples with the model's top-k and why they were sent.")
    static final class ListExamples implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Option(names = "--inbox", required = true, paramLabel = "DIR", description = "The inbox (collector's DIR/inbox).")
        private Path inboxDir;

        @Option(names = "--all", description = "Also list labelled examples.")
        private boolean all;

        @Override
        public Integer call() {
            CommandLine cmd = spec.commandLine();
            List<InboxEntry> entries;
            try {
                entries = open(inboxDir).list();
            } catch (IOException e) {
                return inboxProblem(cmd, inboxDir, e);
            }
            PrintWriter out = cmd.getOut();
            long unlabelled = entries.stream().filter(e -> !e.sidecar().labelled()).count();
            for (InboxEntry e : entries) {
                ExampleSidecar s = e.sidecar();
                if (s.labelled() && !all) {
                    continue;
                }
                String top = s.top().stream().map(ListExamples::prediction).collect(Collectors.joining(", "));
                out.println(s.id() + "  " + reason(s) + "  top: " + top + "  model " + s.model().name() + " "
                        + s.model().version() + (s.labelled() ? "  label: " + s.label() + " (by " + s.labelledBy()
                        + ")" : ""));
            }
            out.println(entries.size() + " example(s), " + unlabelled + " unlabelled");
            return ExitCodes.OK;
        }

        private static String prediction(Prediction p) {
            return p.label() + " " + String.format(Locale.ROOT, "%.2f", p.score());
        }

        private static String reason(ExampleSidecar s) {
            return switch (s.reason()) {
                case LOW_CONFIDENCE -> "low-confidence";
                case MARGIN -> "margin";
                case DISAGREEMENT -> "disagreement";
            };
        }
    }

    /** {@code trainer label set --inbox DIR --example ID --as LABEL [--by NAME]}. */
    @Command(name = "set", mixinStandardHelpOptions = true, description = "Give one example its true label.")
    static final class Set implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Option(names = "--inbox", required = true, paramLabel = "DIR", description = "The inbox.")
        private Path inboxDir;

        @Option(names = "--example", required = true, paramLabel = "ID", description = "Example id from 'label list'.")
        private String example;

        @Option(names = "--as", required = true, paramLabel = "LABEL", description = "The true label.")
        private String label;

        @Option(names = "--by", paramLabel = "NAME", description = "Who labels (default: the user name).")
        private String by;

        Clock clock = Clock.systemUTC();

        @Override
        public Integer call() {
            CommandLine cmd = spec.commandLine();
            ExampleId id;
            try {
                id = ExampleId.parse(example);
                Labels.require("--as", label);
            } catch (IllegalArgumentException e) {
                return CommandLines.badInput(cmd, e.getMessage());
            }
            String who = by != null ? by : System.getProperty("user.name", "person");
            try {
                Inbox inbox = open(inboxDir);
                Optional<InboxEntry> entry = inbox.get(id);
                if (entry.isEmpty()) {
                    return CommandLines.badInput(cmd, "no example " + id + " in " + inboxDir
                            + " (see 'trainer label list')");
                }
                ExampleSidecar before = entry.get().sidecar();
                inbox.update(before.withLabel(label, who, clock.instant()));
                cmd.getOut().println(id + ": " + (before.labelled() ? "relabelled from \"" + before.label()
                        + "\" to" : "labelled") + " \"" + label + "\" by " + who);
                return ExitCodes.OK;
            } catch (IOException e) {
                return inboxProblem(cmd, inboxDir, e);
            }
        }
    }

    /** {@code trainer label auto --inbox DIR (--truth FILE | --truth-from replay --replay DIR)}. */
    @Command(name = "auto", mixinStandardHelpOptions = true,
            description = "Label unlabelled examples from a ground-truth map (demo and tests: it stands in for a"
                    + " person and is recorded as such).")
    static final class Auto implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Option(names = "--inbox", required = true, paramLabel = "DIR", description = "The inbox.")
        private Path inboxDir;

        @ArgGroup(exclusive = true, multiplicity = "1")
        private Source source;

        static final class Source {
            @Option(names = "--truth", paramLabel = "FILE",
                    description = "CSV <sha256>,<label> lines or a JSON object {sha256: label}.")
            Path truthFile;

            @Option(names = "--truth-from", paramLabel = "replay",
                    description = "'replay': match images against the ImageFolder tree given by --replay.")
            String truthFrom;
        }

        @Option(names = "--replay", paramLabel = "DIR", description = "The ImageFolder tree the device replays.")
        private Path replay;

        @Option(names = "--max-difference", defaultValue = "" + ReplayMatcher.DEFAULT_MAX_DIFFERENCE,
                paramLabel = "D", description = "Largest mean grey difference (0-255) for a replay match. Default:"
                + " ${DEFAULT-VALUE}.")
        private double maxDifference;

        @Option(names = "--write-truth", paramLabel = "FILE",
                description = "Also write the ground truth used as CSV (for audit, or reuse with --truth).")
        private Path writeTruth;

        Clock clock = Clock.systemUTC();

        @Override
        public Integer call() {
            CommandLine cmd = spec.commandLine();
            PrintWriter out = cmd.getOut();
            List<InboxEntry> entries;
            Inbox inbox;
            try {
                inbox = open(inboxDir);
                entries = inbox.list();
            } catch (IOException e) {
                return inboxProblem(cmd, inboxDir, e);
            }
            List<InboxEntry> todo = entries.stream().filter(e -> !e.sidecar().labelled()).toList();
            GroundTruth truth;
            Map<String, String> unmatched = Map.of();
            try {
                if (source.truthFile != null) {
                    if (replay != null) {
                        return CommandLines.badInput(cmd, "--replay goes with --truth-from replay, not with --truth");
                    }
                    truth = GroundTruth.read(source.truthFile);
                } else {
                    if (!source.truthFrom.equals("replay")) {
                        return CommandLines.badInput(cmd, "--truth-from is \"" + source.truthFrom
                                + "\", allowed replay");
                    }
                    if (replay == null) {
                        return CommandLines.badInput(cmd, "--truth-from replay needs --replay DIR (the ImageFolder"
                                + " tree the device replays)");
                    }
                    ReplayMatcher.Result matched = new ReplayMatcher(replay, maxDifference).match(todo);
                    truth = matched.truth();
                    unmatched = matched.unmatched();
                }
            } catch (IllegalArgumentException e) {
                return CommandLines.badInput(cmd, e.getMessage());
            } catch (IOException e) {
                return CommandLines.failure(cmd, e.toString());
            }
            out.println("Labelling from ground truth (" + truth.source() + "). This stands in for a person;"
                    + " labels are recorded as labelledBy \"" + GroundTruth.LABELLED_BY + "\".");
            int labelled = 0;
            int missing = 0;
            try {
                for (InboxEntry e : todo) {
                    Optional<String> label = truth.label(e.sidecar().imageSha256());
                    if (label.isEmpty()) {
                        missing++;
                        String why = unmatched.getOrDefault(e.sidecar().id(), "image sha256 not in the truth");
                        out.println(e.sidecar().id() + ": no ground truth (" + why + ")");
                        continue;
                    }
                    inbox.update(e.sidecar().withLabel(label.get(), GroundTruth.LABELLED_BY, clock.instant()));
                    out.println(e.sidecar().id() + ": " + label.get());
                    labelled++;
                }
                if (writeTruth != null) {
                    truth.writeCsv(writeTruth);
                }
            } catch (IOException e) {
                return inboxProblem(cmd, inboxDir, e);
            }
            out.println("Labelled " + labelled + ", no ground truth for " + missing + ", already labelled "
                    + (entries.size() - todo.size()));
            return ExitCodes.OK;
        }
    }

    /** {@code trainer label export --inbox DIR --into DATASET_DIR}. */
    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Copy labelled examples into an ImageFolder training tree as <label>/hard-<id>.jpg"
                    + " (labels must be existing label folders; nothing is overwritten).")
    static final class Export implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Option(names = "--inbox", required = true, paramLabel = "DIR", description = "The inbox.")
        private Path inboxDir;

        @Option(names = "--into", required = true, paramLabel = "DATASET_DIR",
                description = "ImageFolder training tree (<label>/<image>).")
        private Path into;

        @Override
        public Integer call() {
            CommandLine cmd = spec.commandLine();
            List<InboxEntry> entries;
            try {
                entries = open(inboxDir).list();
            } catch (IOException e) {
                return inboxProblem(cmd, inboxDir, e);
            }
            try {
                DatasetExport.Result r = DatasetExport.export(entries, into);
                cmd.getOut().println("Exported " + r.total() + " new example(s) into " + into + " " + r.exported()
                        + "; " + r.alreadyPresent() + " already there, " + r.unlabelled() + " unlabelled not exported");
                return ExitCodes.OK;
            } catch (IllegalArgumentException e) {
                return CommandLines.badInput(cmd, e.getMessage());
            } catch (IOException e) {
                return CommandLines.failure(cmd, "export into " + into + ": " + e);
            }
        }
    }
}
