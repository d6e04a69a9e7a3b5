package io.edgeloop.trainer.demo;

import io.edgeloop.trainer.job.TrainerServices;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.protocol.mqtt.Topics;
import io.edgeloop.protocol.signing.KeyFiles;
import io.edgeloop.protocol.signing.TrustStore;
import io.edgeloop.trainer.broker.EmbeddedBroker;
import io.edgeloop.trainer.cli.ExitCodes;
import io.edgeloop.trainer.cli.TrainerMain;
import io.edgeloop.trainer.collect.CollectorSettings;
import io.edgeloop.trainer.collect.CollectorStats;
import io.edgeloop.trainer.collect.HardExampleCollector;
import io.edgeloop.trainer.collect.HardExampleIntake;
import io.edgeloop.trainer.collect.Inbox;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code trainer demo}: the closed loop on one machine, offline, with the shipped base model and data sample.
 * Every step uses the real parts: the trainer's own commands in this process, an embedded MQTT 5 broker, the edge
 * agent as a separate process from its jar, the hard-example collector, labelling and signed deployment. Ground
 * truth from the dataset labels the hard examples, standing in for a person.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the whole loop offline: fine-tune the base on a few labels, run an edge agent, collect"
                + " hard examples, label them, retrain, sign and deploy, and compare accuracy before and after.")
public final class DemoCommand implements Callable<Integer> {

    static final String DEVICE = "demo-box";
    static final String CAMERA = "shelf";
    static final String MODEL_NAME = "fashion-target";
    /** Few labels: docs/transfer-learning.md measured partial ahead of head-only at 1–20 images per class. */
    private static final String STRATEGY = "partial";
    private static final String MARKER = ".edgeloop-demo";
    private static final int STEPS = 9;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    private CommandSpec spec;

    @Option(names = "--out", defaultValue = "demo-out", paramLabel = "DIR",
            description = "Output folder (created; a previous demo's folder is cleared). Default: ${DEFAULT-VALUE}.")
    Path out;

    @Option(names = "--base", defaultValue = "models/base/model.onnx", paramLabel = "MODEL.onnx",
            description = "Pretrained base model package. Default: ${DEFAULT-VALUE}.")
    Path base;

    @Option(names = "--sample", defaultValue = "data/fashion-mnist-target", paramLabel = "DIR",
            description = "Target-task sample with train/ and test/ ImageFolder trees. Default: ${DEFAULT-VALUE}.")
    Path sample;

    @Option(names = "--agent-jar", defaultValue = "edge-agent/target/edge-agent.jar", paramLabel = "JAR",
            description = "The edge agent's runnable jar. Default: ${DEFAULT-VALUE}.")
    Path agentJar;

    @Option(names = "--labelled-per-class", defaultValue = "10", paramLabel = "N",
            description = "Images per class labelled up front; the rest of the sample's train/ is the camera's"
                    + " stream. Default: ${DEFAULT-VALUE}.")
    int labelledPerClass;

    @Option(names = "--epochs", defaultValue = "60", paramLabel = "N", description = "Epochs per fine-tune (an epoch"
            + " of a few dozen 28x28 images takes tens of milliseconds; early stopping ends most runs sooner)."
            + " Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--lr", defaultValue = "0.01", paramLabel = "X",
            description = "Head learning rate (the trained backbone layers get 0.1x). Default: ${DEFAULT-VALUE}.")
    double lr;

    @Option(names = "--fps", defaultValue = "20", paramLabel = "N",
            description = "Frames per second the camera replays. Default: ${DEFAULT-VALUE}.")
    int fps;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "N", description = "Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--keep-running", description = "Keep the broker and agent running at the end (Ctrl-C stops).")
    boolean keepRunning;

    private long started;

    @Override
    public Integer call() throws Exception {
        PrintWriter con = spec.commandLine().getOut();
        String problem = checkInputs();
        if (problem != null) {
            spec.commandLine().getErr().println("trainer demo: " + problem);
            return ExitCodes.USAGE;
        }
        prepareOutput();
        started = System.nanoTime();
        DemoLayout layout = DemoLayout.under(out, sample.resolve("test"));

        step(con, 1, "Split the sample: a few labelled images, the rest becomes the camera's stream");
        int[] counts = layout.split(sample.resolve("train"), labelledPerClass);
        con.printf("      %d labelled (%d per class), %d field frames, %d held-out test images%n", counts[0],
                labelledPerClass, counts[1], DemoLayout.countImages(layout.test()));

        step(con, 2, "Fine-tune the base model on the labelled images (strategy partial) -> version 1");
        fit(layout, layout.labelled(), "1");
        double before = evaluate(layout.run("1").resolve("model.onnx"), layout.test());
        con.printf("      version 1: test accuracy %.1f%% (%s)%n", 100 * before, layout.run("1").resolve("report.html"));

        step(con, 3, "Generate the Ed25519 deployment key; the device trusts its public half");
        trainer("keys", "generate", "--out", layout.keys().toString());
        Path trusted = TrustStore.add(layout.trust(), KeyFiles.readPublicKey(layout.keys().resolve("deploy.pub.pem")));
        con.printf("      device trust store: %s%n", trusted);

        step(con, 4, "Start the embedded MQTT 5 broker and the hard-example collector");
        try (EmbeddedBroker broker = EmbeddedBroker.start(EmbeddedBroker.Settings.DEFAULT);
             HardExampleCollector collector = startCollector(broker, layout);
             EventTally tally = EventTally.watch(broker.uri(), Topics.DEFAULT.prefix() + "/" + DEVICE + "/+/events")) {
            con.printf("      broker %s; collector -> %s%n", broker.uri(), layout.inbox());

            step(con, 5, "Start the edge agent (separate JVM) replaying the field frames with version 1");
            Path config = AgentConfigFile.write(layout, broker.uri(), layout.run("1").resolve("model.onnx"), fps);
            try (AgentProcess agent = AgentProcess.start(agentJar, config, layout.agent().resolve("agent.log"))) {
                boolean streamed = tally.await(c -> events(c, "1") >= counts[1], Duration.ofSeconds(120));
                requireAgent(agent, streamed, "version 1 events");
                EventTally.Count v1 = tally.counts().get("1");
                waitForQuiet(collector);
                CollectorStats.Summary collected = collector.summary();
                con.printf("      %d events from version 1, live accuracy %.1f%%; %d hard examples collected%n",
                        v1.events(), 100 * v1.accuracy(), collected.stored());

                step(con, 6, "Label the hard examples from the dataset's ground truth (standing in for a person)");
                String labelled = trainerQuiet("label", "auto", "--inbox", layout.inbox().toString(),
                        "--truth-from", "replay", "--replay", layout.field().toString());
                con.printf("      %s%n", lastLine(labelled));
                Path trainV2 = layout.trainingSet("2");
                DemoLayout.copyTree(layout.labelled(), trainV2);
                trainer("label", "export", "--inbox", layout.inbox().toString(), "--into", trainV2.toString());
                con.printf("      training set for version 2: %d images%n", DemoLayout.countImages(trainV2));

                step(con, 7, "Retrain with the labelled hard examples -> version 2");
                fit(layout, trainV2, "2");
                double after = evaluate(layout.run("2").resolve("model.onnx"), layout.test());
                con.printf("      version 2: test accuracy %.1f%% (%s)%n", 100 * after,
                        layout.run("2").resolve("report.html"));

                step(con, 8, "Sign and deploy version 2 over MQTT; the agent verifies, smoke-tests and switches");
                trainer("deploy", "--model", layout.run("2").resolve("model.onnx").toString(),
                        "--key", layout.keys().resolve("deploy.pem").toString(), "--broker", broker.uri(),
                        "--device", DEVICE, "--wait", "90");
                boolean switched = tally.await(c -> events(c, "2") >= 20, Duration.ofSeconds(60));
                requireAgent(agent, switched, "version 2 events after the deploy");
                EventTally.Count v2 = tally.counts().get("2");
                con.printf("      %d events from version 2 so far, live accuracy %.1f%%%n", v2.events(),
                        100 * v2.accuracy());

                step(con, 9, "Summary");
                summary(con, layout, broker, before, after, v1, v2, collected);
                if (keepRunning) {
                    con.printf("%nBroker and agent keep running; watch with:%n"
                            + "  mosquitto_sub -h %s -p %d -t '%s/#' -v%nPress Ctrl-C to stop.%n",
                            broker.host(), broker.port(), Topics.DEFAULT.prefix());
                    con.flush();
                    new CountDownLatch(1).await();
                }
            } catch (DemoStepException e) {
                // A step that timed out may be the broker's doing: say so when it reported a fault.
                throw broker.fault().map(f -> new DemoStepException(e.getMessage() + "\n      the embedded broker: "
                        + f)).orElse(e);
            }
        }
        return ExitCodes.OK;
    }

    private String checkInputs() {
        if (!Files.isRegularFile(base)) {
            return "base model " + base + " not found (run from the repository root, or pass --base)";
        }
        if (!Files.isDirectory(sample.resolve("train")) || !Files.isDirectory(sample.resolve("test"))) {
            return "sample " + sample + " must hold train/ and test/ ImageFolder trees (pass --sample)";
        }
        if (!Files.isRegularFile(agentJar)) {
            return "edge agent jar " + agentJar + " not found; build it with './mvnw -q -DskipTests package'"
                    + " or pass --agent-jar";
        }
        if (labelledPerClass < 1) {
            return "--labelled-per-class is " + labelledPerClass + ", allowed >= 1";
        }
        if (epochs < 1 || epochs > 1000) {
            return "--epochs is " + epochs + ", allowed 1..1000";
        }
        if (!(lr > 0 && lr <= 10)) {
            return "--lr is " + lr + ", allowed 0 < lr <= 10";
        }
        if (fps < 1 || fps > 1000) {
            return "--fps is " + fps + ", allowed 1..1000";
        }
        return null;
    }

    /** Creates the output folder; clears it only when an earlier demo made it (marker file), never anything else. */
    private void prepareOutput() throws IOException {
        if (Files.isDirectory(out)) {
            boolean empty;
            try (Stream<Path> children = Files.list(out)) {
                empty = children.findAny().isEmpty();
            }
            if (!empty && !Files.exists(out.resolve(MARKER))) {
                throw new IllegalArgumentException(out + " exists and was not made by 'trainer demo'; choose another"
                        + " --out");
            }
            try (Stream<Path> walk = Files.walk(out)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    if (!p.equals(out)) {
                        Files.delete(p);
                    }
                }
            }
        }
        Files.createDirectories(out);
        Files.writeString(out.resolve(MARKER), "made by trainer demo; cleared by the next run\n");
    }

    private void fit(DemoLayout layout, Path data, String version) {
        trainer("fit", "--base", base.toString(), "--data", data.toString(), "--out", layout.run(version).toString(),
                "--strategy", STRATEGY, "--epochs", Integer.toString(epochs), "--lr", Double.toString(lr),
                "--patience", "15", "--no-augment",
                "--name", MODEL_NAME, "--model-version", version, "--seed", Long.toString(seed));
    }

    private double evaluate(Path model, Path data) throws IOException {
        StringWriter json = new StringWriter();
        int code = TrainerMain.execute(new String[] {"evaluate", "--model", model.toString(), "--data",
            data.toString(), "--json"}, new PrintWriter(json), spec.commandLine().getErr(), TrainerServices.defaults());
        if (code != ExitCodes.OK) {
            throw new DemoStepException("evaluate " + model + " failed (exit " + code + ")");
        }
        JsonNode result = JSON.readTree(json.toString());
        return result.path("accuracy").asDouble(Double.NaN);
    }

    /** Runs a trainer subcommand in this process with the console's streams; a failure ends the demo. */
    private void trainer(String... args) {
        PrintWriter indented = new PrintWriter(new IndentingWriter(spec.commandLine().getOut(), "      "), true);
        int code = TrainerMain.execute(args, indented, spec.commandLine().getErr(), TrainerServices.defaults());
        indented.flush();
        if (code != ExitCodes.OK) {
            throw new DemoStepException("'trainer " + String.join(" ", args) + "' failed (exit " + code + ")");
        }
    }

    /** Runs a trainer subcommand and returns its standard output instead of printing it (for long listings). */
    private String trainerQuiet(String... args) {
        StringWriter captured = new StringWriter();
        int code = TrainerMain.execute(args, new PrintWriter(captured, true), spec.commandLine().getErr(),
                TrainerServices.defaults());
        if (code != ExitCodes.OK) {
            throw new DemoStepException("'trainer " + String.join(" ", args) + "' failed (exit " + code + ")");
        }
        return captured.toString();
    }

    private static String lastLine(String text) {
        String[] lines = text.strip().split("\\R");
        return lines[lines.length - 1];
    }

    private static HardExampleCollector startCollector(EmbeddedBroker broker, DemoLayout layout)
            throws IOException, InterruptedException {
        Inbox inbox = Inbox.open(layout.inbox());
        HardExampleIntake intake = new HardExampleIntake(inbox, Topics.DEFAULT, 2, 0, Clock.systemUTC());
        HardExampleCollector collector = HardExampleCollector.start(
                CollectorSettings.of(broker.uri(), "edgeloop-demo-collector"), intake);
        if (!collector.awaitSubscribed(Duration.ofSeconds(10))) {
            collector.close();
            throw new DemoStepException("the collector did not subscribe to " + broker.uri() + " within 10 s");
        }
        return collector;
    }

    /** Hard examples trail their events slightly; wait until none arrived for a second. */
    private static void waitForQuiet(HardExampleCollector collector) throws InterruptedException {
        long last = -1;
        for (int i = 0; i < 20; i++) {
            long now = collector.summary().received();
            if (now == last) {
                return;
            }
            last = now;
            Thread.sleep(1000);
        }
    }

    private static long events(Map<String, EventTally.Count> counts, String version) {
        EventTally.Count c = counts.get(version);
        return c == null ? 0 : c.events();
    }

    private static void requireAgent(AgentProcess agent, boolean ok, String what) throws IOException {
        if (ok) {
            return;
        }
        List<String> lines = Files.readAllLines(agent.log(), StandardCharsets.UTF_8);
        List<String> tail = new ArrayList<>(lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        throw new DemoStepException("timed out waiting for " + what + " (agent " + (agent.isAlive() ? "running"
                : "exited with " + agent.exitCode()) + "); last lines of " + agent.log() + ":\n  "
                + String.join("\n  ", tail));
    }

    private void step(PrintWriter con, int n, String title) {
        double seconds = (System.nanoTime() - started) / 1e9;
        con.printf(Locale.ROOT, "%n[%d/%d] %s  (%.0f s)%n", n, STEPS, title, seconds);
        con.flush();
    }

    private void summary(PrintWriter con, DemoLayout layout, EmbeddedBroker broker, double before, double after,
                         EventTally.Count v1, EventTally.Count v2, CollectorStats.Summary collected) {
        double seconds = (System.nanoTime() - started) / 1e9;
        con.printf(Locale.ROOT, "      held-out test accuracy: version 1 %.1f%%  ->  version 2 %.1f%%  (%+.1f points)%n",
                100 * before, 100 * after, 100 * (after - before));
        con.printf(Locale.ROOT, "      live agreement with ground truth on the camera stream (v2 was trained on its hard"
                + " frames): v1 %.1f%% (%d events), v2 %.1f%% (%d)%n",
                100 * v1.accuracy(), v1.events(), 100 * v2.accuracy(), v2.events());
        con.printf("      hard examples: %s%n", collected);
        con.printf("      reports: %s, %s%n", layout.run("1").resolve("report.html"),
                layout.run("2").resolve("report.html"));
        con.printf("      agent log: %s; inbox: %s%n", layout.agent().resolve("agent.log"), layout.inbox());
        con.printf(Locale.ROOT, "      finished in %.0f s. To watch the MQTT stream yourself, run again with"
                + " --keep-running and subscribe, e.g. mosquitto_sub -h %s -p <port> -t 'edgeloop/#' -v%n", seconds,
                broker.host());
    }

    /** A step of the demo failed; the message says which and why. */
    static final class DemoStepException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        DemoStepException(String message) {
            super(message);
        }
    }
}
