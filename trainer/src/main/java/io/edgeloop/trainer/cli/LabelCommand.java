package io.edgeloop.trainer.cli;

import io.edgeloop.trainer.job.JobFailure;
import io.edgeloop.protocol.mqtt.Prediction;
import io.edgeloop.trainer.collect.ExampleId;
import io.edgeloop.trainer.collect.ExampleSidecar;
import io.edgeloop.trainer.collect.InboxEntry;
import io.edgeloop.trainer.job.AutoLabelRequest;
import io.edgeloop.trainer.job.AutoLabelResult;
import io.edgeloop.trainer.job.LabelChange;
import io.edgeloop.trainer.job.LabelCheck;
import io.edgeloop.trainer.job.LabelJob;
import io.edgeloop.trainer.job.LabelRequest;
import io.edgeloop.trainer.label.DatasetExport;
import io.edgeloop.trainer.label.GroundTruth;
import io.edgeloop.trainer.label.LabelCsv;
import io.edgeloop.trainer.label.ReplayMatcher;
import io.edgeloop.trainer.labelling.LabellingServer;
import io.edgeloop.trainer.labelling.LabellingSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code trainer label}: {@code list} the inbox, {@code set} one example's label, {@code auto}-label from ground
 * truth (a stand-in for a person, marked as such), {@code export} labelled examples into a training tree,
 * {@code serve} the labelling web app, {@code export-csv} / {@code import-csv} for labelling elsewhere. Each
 * subcommand runs one {@link LabelJob} operation (or starts the {@link LabellingServer}) and prints its result.
 */
@Command(name = "label", mixinStandardHelpOptions = true,
        description = "Label collected hard examples and export them as training data.",
        subcommands = {LabelCommand.ListExamples.class, LabelCommand.Set.class, LabelCommand.Auto.class,
            LabelCommand.Export.class, LabelCommand.Serve.class, LabelCommand.ExportCsv.class,
            LabelCommand.ImportCsv.class})
public final class LabelCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        throw new IllegalArgumentException("missing subcommand, allowed list, set, auto, export, serve, export-csv or"
                + " import-csv");
    }

    /** {@code --data DIR} and {@code --new-label}: which labels {@code set} and {@code auto} accept. */
    static final class CheckOptions {
        @Option(names = "--data", paramLabel = "DIR",
                description = "Training tree (<label>/<image>) whose class folders are known labels too.")
        Path data;

        @Option(names = "--new-label",
                description = "Accept a label that is not known yet (a new class). Known: the models' top-k and"
                        + " labels in the inbox, and the class folders of --data.")
        boolean newLabel;

        LabelCheck check() {
            return new LabelCheck(Optional.ofNullable(data), newLabel);
        }
    }

    private static JobFailure unreadable(Path inbox, IOException e) {
        return new JobFailure("inbox " + inbox + ": " + e.getMessage(), e);
    }

    /** {@code trainer label list --inbox DIR [--all]}. */
    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List unlabelled examples with the model's top-k and why they were sent.")
    static final class ListExamples implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Option(names = "--inbox", required = true, paramLabel = "DIR",
                description = "The inbox (collector's DIR/inbox).")
        private Path inboxDir;

        @Option(names = "--all", description = "Also list labelled examples.")
        private boolean all;

        @Override
        public Integer call() {
            List<InboxEntry> entries;
            try {
                entries = LabelJob.open(inboxDir).list();
            } catch (IOException e) {
                throw unreadable(inboxDir, e);
            }
            PrintWriter out = spec.commandLine().getOut();
            long unlabelled = entries.stream().filter(e -> !e.sidecar().answered()).count();
            for (InboxEntry e : entries) {
                ExampleSidecar s = e.sidecar();
                if (s.answered() && !all) {
                    continue;
                }
                String top = s.top().stream().map(ListExamples::prediction).collect(Collectors.joining(", "));
                out.println(s.id() + "  " + reason(s) + "  top: " + top + "  model " + s.model().name() + " "
                        + s.model().version() + (s.labelled() ? "  label: " + s.label() + " (by " + s.labelledBy()
                        + ")" : "") + (s.discarded() ? "  discarded (by " + s.labelledBy() + ")" : ""));
            }
            out.println(entries.size() + " example(s), " + unlabelled + " unlabelled");
            return ExitCodes.OK;
        }

        private static String prediction(Prediction p) {
            return p.label() + " " + String.format(Locale.ROOT, "%.2f", p.score());
        }

        private static String reason(ExampleSidecar s) {
            return s.reason().wireName();
        }
    }

    /** {@code trainer label set --inbox DIR --example ID --as LABEL [--by NAME] [--data DIR] [--new-label]}. */
    @Command(name = "set", mixinStandardHelpOptions = true,
            description = "Give one example its true label (a known label unless --new-label).")
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

        @Mixin
        private CheckOptions checkOptions;

        Clock clock = Clock.systemUTC();

        @Override
        public Integer call() {
            LabelRequest request = new LabelRequest(ExampleId.parse(example), label,
                    by != null ? by : System.getProperty("user.name", "person"), checkOptions.check());
            LabelChange change;
            try {
                change = LabelJob.open(inboxDir, clock).set(request);
            } catch (IOException e) {
                throw unreadable(inboxDir, e);
            }
            spec.commandLine().getOut().println(change.example() + ": " + change.previous()
                    .map(p -> "relabelled from \"" + p + "\" to").orElse("labelled") + " \"" + change.label()
                    + "\" by " + change.by() + (change.newLabel() ? " (a new label)" : ""));
            return ExitCodes.OK;
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
                    description = "'replay': match images against the ImageFolder tree given by --replay (its"
                            + " class folders are known labels).")
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

        @Mixin
        private CheckOptions checkOptions;

        Clock clock = Clock.systemUTC();

        @Override
        public Integer call() {
            AutoLabelRequest request = request().withCheck(checkOptions.check());
            if (writeTruth != null) {
                request = request.withWriteTruth(writeTruth);
            }
            AutoLabelResult result;
            try {
                result = LabelJob.open(inboxDir, clock).auto(request);
            } catch (IOException e) {
                throw new JobFailure(e.getMessage(), e);
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println("Labelling from ground truth (" + result.truthSource() + "). This stands in for a person;"
                    + " labels are recorded as labelledBy \"" + GroundTruth.LABELLED_BY + "\".");
            for (AutoLabelResult.Example e : result.examples()) {
                out.println(e.id() + ": " + e.label().orElseGet(() -> "no ground truth ("
                        + e.noTruthReason().orElseThrow() + ")"));
            }
            out.println("Labelled " + result.labelled() + ", no ground truth for " + result.withoutTruth()
                    + ", already labelled " + result.alreadyLabelled());
            return ExitCodes.OK;
        }

        private AutoLabelRequest request() {
            if (source.truthFile != null) {
                if (replay != null) {
                    throw new IllegalArgumentException("--replay goes with --truth-from replay, not with --truth");
                }
                return AutoLabelRequest.fromTruthFile(source.truthFile);
            }
            if (!source.truthFrom.equals("replay")) {
                throw new IllegalArgumentException("--truth-from is \"" + source.truthFrom + "\", allowed replay");
            }
            if (replay == null) {
                throw new IllegalArgumentException("--truth-from replay needs --replay DIR (the ImageFolder tree the"
                        + " device replays)");
            }
            return AutoLabelRequest.fromReplay(replay, maxDifference);
        }
    }

    /** {@code trainer label export --inbox DIR --into DATASET_DIR}. */
    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Copy labelled examples as <label>/hard-<id>.jpg into an ImageFolder training tree"
                    + " (labels must be class folders there; nothing is overwritten).")
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
            DatasetExport.Result r;
            try {
                r = LabelJob.open(inboxDir).export(into);
            } catch (IOException e) {
                throw new JobFailure("export into " + into + ": " + e.getMessage(), e);
            }
            spec.commandLine().getOut().println("Exported " + r.total() + " new example(s) into " + into + " "
                    + r.exported() + "; " + r.alreadyPresent() + " already there, " + r.unlabelled()
                    + " unlabelled and " + r.discarded() + " discarded not exported");
            return ExitCodes.OK;
        }
    }

    /** {@code trainer label serve --inbox DIR --data DIR [--host ADDRESS] [--port N] [--token TOKEN]}. */
    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = "Serve the labelling web app: thumbnails with the model's guess, keyboard labelling,"
                    + " export into --data. Loopback by default; off loopback a token is required.")
    static final class Serve implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Option(names = "--inbox", required = true, paramLabel = "DIR", description = "The inbox.")
        private Path inboxDir;

        @Option(names = "--data", required = true, paramLabel = "DIR",
                description = "Training tree (<label>/<image>): its class folders are known labels, and the export"
                        + " button copies labelled examples into it.")
        private Path data;

        @Option(names = "--host", defaultValue = LabellingSettings.LOOPBACK, paramLabel = "ADDRESS",
                description = "Address to bind. Default: ${DEFAULT-VALUE} (this machine only); any other address"
                        + " requires the token.")
        private String host;

        @Option(names = "--port", defaultValue = "8090", paramLabel = "N",
                description = "Port, 0 for any free one. Default: ${DEFAULT-VALUE}.")
        private int port;

        @Option(names = "--token", paramLabel = "TOKEN",
                description = "Access token (12-256 of A-Z a-z 0-9 . _ ~ -) required off loopback. Default: a random"
                        + " one, printed in the URL.")
        private String token;

        @Mixin
        private StopOptions stopOptions;

        @Override
        public Integer call() throws InterruptedException {
            LabellingSettings settings = new LabellingSettings(inboxDir, data, host, port, Optional.ofNullable(token));
            stopOptions.validate();
            try (StopOptions.Signal stop = stopOptions.watch("label-serve-shutdown");
                 LabellingServer app = LabellingServer.start(settings, Clock.systemUTC())) {
                PrintWriter out = spec.commandLine().getOut();
                out.println("Labelling " + inboxDir + " (export into " + data + ") at " + app.uri());
                if (app.token().isPresent()) {
                    out.println("Reachable from other machines: requests without the token in that URL are"
                            + " refused.");
                }
                out.println("Stop with Ctrl-C.");
                out.flush();
                stop.await();
            } catch (BindException e) {
                throw new JobFailure("cannot serve on " + host + ":" + port + " (" + e.getMessage() + "); choose"
                        + " another --port or --host", e);
            } catch (IOException e) {
                throw new JobFailure("cannot serve " + inboxDir + " on " + host + ":" + port + " (" + e.getMessage()
                        + ")", e);
            }
            return ExitCodes.OK;
        }
    }

    /** {@code trainer label export-csv --inbox DIR --to FILE}. */
    @Command(name = "export-csv", mixinStandardHelpOptions = true,
            description = "Write every example as a CSV row (id, device, camera, captured_at, reason, model,"
                    + " predicted, score, top, label, labelled_by, labelled_at, discarded) for labelling elsewhere.")
    static final class ExportCsv implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Option(names = "--inbox", required = true, paramLabel = "DIR", description = "The inbox.")
        private Path inboxDir;

        @Option(names = "--to", required = true, paramLabel = "FILE", description = "The CSV file to write.")
        private Path to;

        @Override
        public Integer call() {
            int rows;
            try {
                rows = LabelJob.open(inboxDir).exportCsv(to);
            } catch (IOException e) {
                throw new JobFailure("export-csv to " + to + ": " + e.getMessage(), e);
            }
            spec.commandLine().getOut().println("Wrote " + rows + " example(s) to " + to + " (columns "
                    + String.join(",", LabelCsv.COLUMNS) + ")");
            return ExitCodes.OK;
        }
    }

    /**
     * {@code trainer label import-csv --inbox DIR --from FILE [--by NAME] [--data DIR] [--new-label]
     * [--overwrite]}. */
    @Command(name = "import-csv", mixinStandardHelpOptions = true,
            description = "Take answers from a CSV file (columns id and label; optional labelled_by, labelled_at,"
                    + " discarded). Every row is checked first; any bad row means nothing is imported.")
    static final class ImportCsv implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Option(names = "--inbox", required = true, paramLabel = "DIR", description = "The inbox.")
        private Path inboxDir;

        @Option(names = "--from", required = true, paramLabel = "FILE", description = "The CSV file.")
        private Path from;

        @Option(names = "--by", paramLabel = "NAME",
                description = "Who labelled, for rows without labelled_by (default: the user name).")
        private String by;

        @Option(names = "--overwrite", description = "Replace answers already given with different ones.")
        private boolean overwrite;

        @Mixin
        private CheckOptions checkOptions;

        Clock clock = Clock.systemUTC();

        @Override
        public Integer call() {
            LabelCsv.Plan plan;
            try {
                plan = LabelJob.open(inboxDir, clock).importCsv(from, by != null ? by
                        : System.getProperty("user.name", "person"), checkOptions.check(), overwrite);
            } catch (IOException e) {
                throw new JobFailure("import-csv from " + from + ": " + e.getMessage(), e);
            }
            spec.commandLine().getOut().println("Imported " + from + ": " + plan.newAnswers() + " new answer(s), "
                    + plan.changed() + " changed, " + plan.unchanged() + " unchanged, " + plan.blank()
                    + " row(s) without an answer");
            return ExitCodes.OK;
        }
    }
}
