package io.edgeloop.trainer.demo;

import io.edgeloop.trainer.job.TrainerServices;
import io.edgeloop.protocol.mqtt.DeployState;
import io.edgeloop.protocol.mqtt.DeployStatus;
import io.edgeloop.protocol.mqtt.HardExampleReason;
import io.edgeloop.protocol.mqtt.ShadowEnd;
import io.edgeloop.protocol.mqtt.ShadowReport;
import io.edgeloop.protocol.mqtt.ShadowRequest;
import io.edgeloop.protocol.mqtt.Topics;
import io.edgeloop.protocol.signing.KeyFiles;
import io.edgeloop.protocol.signing.TrustStore;
import io.edgeloop.trainer.broker.EmbeddedBroker;
import io.edgeloop.trainer.collect.CollectorSettings;
import io.edgeloop.trainer.collect.CollectorStats;
import io.edgeloop.trainer.collect.HardExampleCollector;
import io.edgeloop.trainer.collect.HardExampleIntake;
import io.edgeloop.trainer.collect.Inbox;
import io.edgeloop.trainer.deploy.DeployProgress;
import io.edgeloop.trainer.deploy.DeployTarget;
import io.edgeloop.trainer.collect.MqttCredentials;
import io.edgeloop.trainer.compare.PairedComparison;
import io.edgeloop.trainer.gate.GateRule;
import io.edgeloop.trainer.job.DecodePool;
import io.edgeloop.trainer.job.GateJob;
import io.edgeloop.trainer.job.GateRequest;
import io.edgeloop.trainer.job.GateResult;
import io.edgeloop.trainer.job.RegistryJob;
import io.edgeloop.trainer.job.StatusSource;
import io.edgeloop.trainer.registry.ModelRegistry;
import io.edgeloop.trainer.registry.RegisteredVersion;
import io.edgeloop.trainer.job.DeployJob;
import io.edgeloop.trainer.job.DeployRequest;
import io.edgeloop.trainer.job.DeployResult;
import io.edgeloop.trainer.job.ShadowDeploy;
import io.edgeloop.trainer.job.EvaluateJob;
import io.edgeloop.trainer.job.EvaluateRequest;
import io.edgeloop.trainer.job.FineTuneJob;
import io.edgeloop.trainer.job.FineTuneRequest;
import io.edgeloop.trainer.job.FineTuneResult;
import io.edgeloop.trainer.job.GeneratedKeys;
import io.edgeloop.trainer.job.KeyPairRequest;
import io.edgeloop.trainer.job.JobFailure;
import io.edgeloop.trainer.job.KeysJob;
import io.edgeloop.trainer.job.LabelJob;
import io.edgeloop.trainer.label.DatasetExport;
import io.edgeloop.trainer.model.FineTuneStrategy;
import io.edgeloop.trainer.train.FitConfig;
import io.edgeloop.trainer.train.FitListener;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The closed loop on one machine, offline, with the shipped base model and data sample: fine-tune, run an edge
 * agent against an embedded broker, collect the frames it finds hard, label them, retrain, sign and deploy, compare.
 * Every step uses the real parts through the trainer's services ({@link FineTuneJob}, {@link EvaluateJob},
 * {@link KeysJob}, {@link LabelJob}, {@link DeployJob}), an embedded MQTT 5 broker, the edge agent as a separate
 * process from its jar, the hard-example collector and the labelling web app ({@link DemoLabellingApp}): ground truth
 * from the dataset labels the hard examples through the app's HTTP API, standing in for a person. The console gets
 * the story, step by step.
 */
public final class ClosedLoopDemo {

    static final String DEVICE = "demo-box";
    static final String CAMERA = "shelf";
    static final String MODEL_NAME = "fashion-target";
    /** Few labels: docs/transfer-learning.md measured partial ahead of head-only at 1–20 images per class. */
    private static final FineTuneStrategy STRATEGY = FineTuneStrategy.PARTIAL;
    private static final String MARKER = ".edgeloop-demo";
    private static final int STEPS = 9;
    /** Frames version 2 classifies in shadow before the demo looks at the agreement and promotes it. */
    private static final int SHADOW_FRAMES = 60;
    private static final Duration SHADOW_WAIT = Duration.ofSeconds(90);

    private final DemoSettings settings;
    private final TrainerServices services;
    private final PrintWriter con;
    private long started;

    /**
     * @param console where the steps and figures are told
     */
    public ClosedLoopDemo(DemoSettings settings, TrainerServices services, PrintWriter console) {
        this.settings = settings;
        this.services = services;
        this.con = console;
    }

    /** Runs the loop; the held-out accuracy before and after. */
    public DemoResult run() throws Exception {
        Path out = settings.out();
        prepareOutput(out);
        started = System.nanoTime();
        DemoLayout layout = DemoLayout.under(out, settings.sample().resolve("test"));

        step(con, 1, "Split the sample: a few labelled images, the rest becomes the camera's stream");
        int[] counts = layout.split(settings.sample().resolve("train"), settings.labelledPerClass());
        con.printf("      %d labelled (%d per class), %d field frames, %d held-out test images%n", counts[0],
                settings.labelledPerClass(), counts[1], DemoLayout.countImages(layout.test()));

        step(con, 2, "Fine-tune the base model on the labelled images (strategy partial) -> version 1");
        fit(layout, layout.labelled(), "1");
        double before = evaluate(layout.run("1").resolve("model.onnx"), layout.test());
        con.printf("      version 1: test accuracy %.1f%% (%s)%n", 100 * before,
                layout.run("1").resolve("report.html"));

        step(con, 3, "Generate the Ed25519 deployment key; the device trusts its public half");
        GeneratedKeys keys = KeysJob.generate(KeyPairRequest.in(layout.keys()));
        con.printf("      key id %s: %s (private), %s%n", keys.keyId(), keys.privateKey(), keys.publicKey());
        Path trusted = TrustStore.add(layout.trust(), KeyFiles.readPublicKey(keys.publicKey()));
        con.printf("      device trust store: %s%n", trusted);

        double after;
        step(con, 4, "Start the embedded MQTT 5 broker and the hard-example collector");
        try (EmbeddedBroker broker = EmbeddedBroker.start(EmbeddedBroker.Settings.DEFAULT);
             HardExampleCollector collector = startCollector(broker, layout);
             EventTally tally = EventTally.watch(broker.uri(), Topics.DEFAULT.prefix() + "/" + DEVICE + "/+/events");
             DemoLabellingApp labellingApp = new DemoLabellingApp(con)) {
            con.printf("      broker %s; collector -> %s%n", broker.uri(), layout.inbox());

            step(con, 5, "Start the edge agent (separate JVM) replaying the field frames with version 1");
            Path config = AgentConfigFile.write(layout, broker.uri(), layout.run("1").resolve("model.onnx"),
                    settings.fps());
            try (AgentProcess agent = AgentProcess.start(settings.agentJar(), config,
                    layout.agent().resolve("agent.log"))) {
                boolean streamed = tally.await(c -> events(c, "1") >= counts[1], Duration.ofSeconds(120));
                requireAgent(agent, streamed, "version 1 events");
                EventTally.Count v1 = tally.counts().get("1");
                waitForQuiet(collector);
                CollectorStats.Summary collected = collector.summary();
                con.printf("      %d events from version 1, live accuracy %.1f%%; %d hard examples collected%n",
                        v1.events(), 100 * v1.accuracy(), collected.stored());

                step(con, 6, "Label the hard examples in the labelling app (ground truth stands in for a person)");
                Path trainV2 = layout.trainingSet("2");
                DemoLayout.copyTree(layout.labelled(), trainV2);
                labellingApp.label(layout.inbox(), trainV2, layout.field());
                DatasetExport.Result exported = LabelJob.open(layout.inbox()).export(trainV2);
                con.printf("      exported %d labelled hard example(s) into %s%n", exported.total(), trainV2);
                con.printf("      training set for version 2: %d images%n", DemoLayout.countImages(trainV2));

                step(con, 7, "Retrain with the labelled hard examples -> version 2");
                fit(layout, trainV2, "2");
                after = evaluate(layout.run("2").resolve("model.onnx"), layout.test());
                con.printf("      version 2: test accuracy %.1f%% (%s)%n", 100 * after,
                        layout.run("2").resolve("report.html"));

                step(con, 8, "Gate version 2 against what the device runs, shadow it, promote it");
                gate(layout, broker);
                shadowThenPromote(layout, broker, keys, collector);
                boolean switched = tally.await(c -> events(c, "2") >= 20, Duration.ofSeconds(60));
                requireAgent(agent, switched, "version 2 events after the deploy");
                EventTally.Count v2 = tally.counts().get("2");
                con.printf("      %d events from version 2 so far, live accuracy %.1f%%%n", v2.events(),
                        100 * v2.accuracy());

                step(con, 9, "Summary");
                summary(con, layout, broker, before, after, v1, v2, collected);
                if (settings.keepRunning()) {
                    con.printf("%nBroker, agent and labelling app keep running. Open the inbox in a browser:%n"
                            + "  %s%nWatch the MQTT stream with:%n"
                            + "  mosquitto_sub -h %s -p %d -t '%s/#' -v%nPress Ctrl-C to stop.%n",
                            labellingApp.uri(), broker.host(), broker.port(), Topics.DEFAULT.prefix());
                    con.flush();
                    new CountDownLatch(1).await();
                }
            } catch (DemoStepException e) {
                // A step that timed out may be the broker's doing: say so when it reported a fault.
                throw broker.fault().map(f -> new DemoStepException(e.getMessage() + "\n      the embedded broker: "
                        + f)).orElse(e);
            }
        }
        return new DemoResult(before, after);
    }

    /** Creates the output folder; clears it only when an earlier demo made it (marker file), never anything else. */
    private static void prepareOutput(Path out) throws IOException {
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

    private void fit(DemoLayout layout, Path data, String version) throws Exception {
        FitConfig training = FitConfig.builder().strategy(STRATEGY).epochs(settings.epochs())
                .learningRate(settings.learningRate()).patience(15).augment(false).seed(settings.seed()).build();
        FineTuneResult result = new FineTuneJob(services).run(FineTuneRequest.builder().setBase(settings.base())
                .setData(data).setOutDir(layout.run(version)).optTraining(training).optDevices(settings.devices())
                .optName(MODEL_NAME).optVersion(version).build(), FitListener.NONE);
        con.printf(Locale.ROOT, "      %s; best epoch %d of %d%n", result.fit().decision().reason(),
                result.fit().bestEpoch(), result.fit().history().size());
        RegisteredVersion registered = new RegistryJob(layout.registry()).register(result, data);
        con.printf("      registered %s (%d labelled hard example(s))%n", registered.folder(),
                registered.hardExamples());
    }

    private static double evaluate(Path model, Path data) throws Exception {
        return new EvaluateJob().run(EvaluateRequest.of(model, data)).evaluation().accuracy();
    }

    /** The quality gate of {@code deploy --gate}: version 2 against what the device reports running. */
    private void gate(DemoLayout layout, EmbeddedBroker broker) throws Exception {
        StatusSource status = new StatusSource(broker.uri(), Duration.ofSeconds(3), Topics.DEFAULT,
                "edgeloop-demo-gate", MqttCredentials.NONE);
        GateResult gate = new GateJob().run(new GateRequest(candidate(layout), layout.test(),
                Optional.of(layout.inbox()), layout.registry(), Optional.empty(), DeployTarget.device(DEVICE),
                Optional.of(status), GateRule.DEFAULT, DecodePool.defaultThreads()));
        gate.notes().forEach(n -> con.printf("      gate: %s%n", n));
        for (GateResult.Judged j : gate.judged()) {
            PairedComparison c = j.comparison();
            con.printf(Locale.ROOT, "      gate: v2 %.1f%% vs %s %.1f%% (run by %s) on %d image(s)%n",
                    100 * c.candidateAccuracy(), j.baseline(), 100 * c.baselineAccuracy(),
                    String.join(", ", j.devices()), c.images());
            con.printf("      gate: %d held-out test image(s), %d hard example(s); %d left out (trained on)%n",
                    gate.dataImages(), gate.hardExamples(), gate.trainedOn());
            con.printf(Locale.ROOT, "      gate: only v2 right %d, only v1 right %d; McNemar p = %.3g%n",
                    c.test().candidateOnly(), c.test().baselineOnly(), c.test().pValue());
            con.printf("      gate: %s -> %s%n", c.verdict().text(), j.refusal().map(r -> "REFUSED, " + r)
                    .orElse("passed"));
        }
        if (!gate.passed()) {
            throw new DemoStepException("the gate refused version 2; it was not deployed");
        }
    }

    private static Path candidate(DemoLayout layout) {
        return layout.registry().resolve(MODEL_NAME).resolve("2").resolve(ModelRegistry.MODEL);
    }

    /**
     * {@code deploy --shadow}, then {@code deploy --promote}: the device runs version 2 beside version 1 on every live
     * frame, publishing only version 1's events, and reports how often the two agree; once it compared enough frames
     * the demo prints the report and promotes version 2 explicitly (the gate already judged it on labelled data, so
     * the demo does not set an agreement bar that a better model could fail by correcting version 1's mistakes).
     */
    private void shadowThenPromote(DemoLayout layout, EmbeddedBroker broker, GeneratedKeys keys,
            HardExampleCollector collector) throws Exception {
        DeployRequest request = deployRequest(layout, broker, keys, "edgeloop-demo-shadow");
        BlockingQueue<DeployStatus> statuses = new LinkedBlockingQueue<>();
        ShadowRequest shadow = new ShadowRequest(1.0, (int) SHADOW_WAIT.toSeconds(), null, null, SHADOW_FRAMES, 2);
        CompletableFuture<DeployResult> shadowing = CompletableFuture.supplyAsync(() -> {
            try {
                return new DeployJob().run(request, ShadowDeploy.of(shadow), new DeployJob.Listener() {
                    @Override
                    public void status(DeployStatus status) {
                        statuses.add(status);
                    }
                });
            } catch (IOException | InterruptedException e) {
                throw new CompletionException(e);
            }
        });
        ShadowReport report = awaitShadowReport(statuses, shadowing);
        con.printf(Locale.ROOT, "      shadow: v2 beside v1 on %d live frame(s) (%d skipped): top-1 agreement"
                + " %.1f%%%n", report.compared(), report.skipped(), 100 * report.agreement());
        report.perClass().forEach((label, c) -> con.printf(Locale.ROOT, "      shadow:   %-14s %5.1f%% of %d%n",
                label, 100 * c.agreement(), c.frames()));
        DeployResult promoted = new DeployJob().run(deployRequest(layout, broker, keys, "edgeloop-demo-promote"),
                ShadowDeploy.ending(ShadowEnd.PROMOTE), DeployJob.Listener.NONE);
        DeployStatus now = promoted.devices().get(DEVICE);
        con.printf("      promote: %s %s%n", DEVICE, now == null ? "no status" : now.state().name().toLowerCase(
                Locale.ROOT).replace('_', '-') + (now.reason() == null ? "" : " (" + now.reason() + ")"));
        shadowing.join();
        waitForQuiet(collector);
        con.printf("      shadow: %d frame(s) they disagree on reached the inbox as new hard examples (reason"
                + " disagreement);%n      shadow: a frame the agent already sent as a hard example is not sent again%n",
                disagreements(layout));
        if (!promoted.succeeded()) {
            throw new DemoStepException("version 2 did not become active after --promote: " + promoted.summary());
        }
    }

    /** Version 2's deploy to the demo device; each concurrent deploy needs its own MQTT client id. */
    private static DeployRequest deployRequest(DemoLayout layout, EmbeddedBroker broker, GeneratedKeys keys,
            String clientId) {
        return DeployRequest.builder().setModel(candidate(layout)).setKey(keys.privateKey()).setBroker(broker.uri())
                .setTarget(DeployTarget.device(DEVICE)).optWaitFor(SHADOW_WAIT.plusSeconds(30))
                .optClientId(clientId).build();
    }

    private static long disagreements(DemoLayout layout) throws IOException {
        return Inbox.openExisting(layout.inbox()).list().stream()
                .filter(e -> e.sidecar().reason() == HardExampleReason.DISAGREEMENT).count();
    }

    /** The first shadow report over at least {@link #SHADOW_FRAMES} frames; fails if the shadow ended or stalled. */
    private static ShadowReport awaitShadowReport(BlockingQueue<DeployStatus> statuses,
            CompletableFuture<DeployResult> shadowing) throws InterruptedException {
        long deadline = System.nanoTime() + SHADOW_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            DeployStatus status = statuses.poll(500, TimeUnit.MILLISECONDS);
            if (status == null) {
                if (shadowing.isDone()) {
                    throw new DemoStepException("the shadow deploy of version 2 ended before a report: "
                            + shadowing.join().summary());
                }
                continue;
            }
            if (status.state() != DeployState.SHADOWING && DeployProgress.isFinal(status.state())) {
                throw new DemoStepException("the shadow of version 2 ended early: " + DeployProgress.describe(status));
            }
            if (status.shadow() != null && status.shadow().compared() >= SHADOW_FRAMES) {
                return status.shadow();
            }
        }
        throw new DemoStepException("no shadow report over " + SHADOW_FRAMES + " frames within "
                + SHADOW_WAIT.toSeconds() + " s");
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
        con.printf(Locale.ROOT,
                "      held-out test accuracy: v1 %.1f%% -> v2 %.1f%% (%+.1f points)%n",
                100 * before, 100 * after, 100 * (after - before));
        con.printf(Locale.ROOT,
                "      live agreement with ground truth on the camera stream (v2 was trained on its hard"
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
    static final class DemoStepException extends JobFailure {

        private static final long serialVersionUID = 1L;

        DemoStepException(String message) {
            super(message);
        }
    }
}
