package io.edgeloop.trainer.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeloop.protocol.mqtt.Topics;
import io.edgeloop.trainer.cli.TrainerMain;
import io.edgeloop.trainer.collect.HardExampleIntake;
import io.edgeloop.trainer.collect.HardExamples;
import io.edgeloop.trainer.collect.Inbox;
import io.edgeloop.trainer.collect.InboxEntry;
import io.edgeloop.trainer.job.TrainerServices;
import io.edgeloop.trainer.label.GroundTruth;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's own parts, its labelling step against a real labelling app included. The whole demo (broker, agent
 * process, deploy) runs in CI after the test suite, because it needs the packaged agent jar; {@code .ci/run} also
 * checks there that its hard examples were labelled through the app.
 */
class DemoCommandTest {

    @TempDir
    Path tmp;

    @Test
    void splitKeepsTheFirstImagesPerClassLabelledAndStreamsTheRest() throws Exception {
        Path train = sample(tmp.resolve("sample/train"), 4);
        DemoLayout layout = DemoLayout.under(tmp.resolve("out"), tmp.resolve("sample/test"));

        int[] counts = layout.split(train, 3);

        assertEquals(6, counts[0]);
        assertEquals(2, counts[1]);
        assertTrue(Files.exists(layout.labelled().resolve("bag/img-0.png")));
        assertTrue(Files.exists(layout.labelled().resolve("bag/img-2.png")));
        assertFalse(Files.exists(layout.labelled().resolve("bag/img-3.png")));
        assertTrue(Files.exists(layout.field().resolve("sandal/img-3.png")));
        assertEquals(2, DemoLayout.countImages(layout.field()));
    }

    @Test
    void splitNeedsAFieldFrameInEveryClass() throws Exception {
        Path train = sample(tmp.resolve("sample/train"), 4);
        DemoLayout layout = DemoLayout.under(tmp.resolve("out"), tmp.resolve("sample/test"));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> layout.split(train, 4));
        assertEquals(train.resolve("bag") + " has 4 images; --labelled-per-class 4 must leave at least one for the"
                + " field stream", e.getMessage());
    }

    @Test
    void missingInputsAreBadUsageNamingThem() {
        Run missingBase = run("demo", "--base", tmp.resolve("nope.onnx").toString());
        assertEquals(2, missingBase.code);
        assertEquals("trainer demo: base model " + tmp.resolve("nope.onnx")
                + " not found (run from the repository root, or pass --base)\n", missingBase.err);
    }

    @Test
    void refusesToClearAFolderItDidNotMake() throws Exception {
        Path base = Files.writeString(tmp.resolve("base.onnx"), "not used before the check");
        Path sample = tmp.resolve("sample");
        sample(sample.resolve("train"), 3);
        sample(sample.resolve("test"), 1);
        Path jar = Files.writeString(tmp.resolve("agent.jar"), "");
        Path out = Files.createDirectories(tmp.resolve("precious"));
        Files.writeString(out.resolve("thesis.tex"), "keep me");

        Run r = run("demo", "--base", base.toString(), "--sample", sample.toString(), "--agent-jar", jar.toString(),
                "--out", out.toString());

        assertEquals(2, r.code);
        assertEquals("trainer demo: " + out + " exists and was not made by 'trainer demo'; choose another --out\n",
                r.err);
        assertEquals("keep me", Files.readString(out.resolve("thesis.tex")));
    }

    @Test
    void theHardExamplesAreLabelledThroughTheLabellingAppAsTheStandIn() throws Exception {
        // The camera replays four blocky images, two per class, and sends each back re-encoded; a fifth it sends
        // is not in the replay tree.
        Path field = tmp.resolve("field");
        Path inbox = tmp.resolve("inbox");
        Path train = tmp.resolve("train-v2");
        HardExampleIntake intake = new HardExampleIntake(Inbox.open(inbox), Topics.DEFAULT, -1, 0,
                Clock.systemUTC());
        Map<Long, String> classes = Map.of(1L, "sandal", 2L, "sandal", 3L, "sneaker", 4L, "sneaker", 5L, "");
        for (Map.Entry<Long, String> c : classes.entrySet()) {
            if (!c.getValue().isEmpty()) {
                Files.createDirectories(train.resolve(c.getValue()));
                ImageIO.write(HardExamples.image(c.getKey()), "png", Files.createDirectories(field.resolve(
                        c.getValue())).resolve("img-" + c.getKey() + ".png").toFile());
            }
            assertEquals(HardExampleIntake.Outcome.STORED, intake.accept("edgeloop/demo-box/shelf/hard",
                    HardExamples.payload("demo-box", "shelf", c.getKey(), HardExamples.jpeg(c.getKey()))));
        }
        StringWriter console = new StringWriter();

        try (DemoLabellingApp app = new DemoLabellingApp(new PrintWriter(console, true))) {
            app.label(inbox, train, field);

            assertEquals("      labelling app " + app.uri() + " (as 'trainer label serve --inbox " + inbox + " --data "
                    + train + "')\n"
                    + "      labelled 4 through the app's HTTP API, no ground truth for 1, refused 0, already"
                    + " answered 0 (as \"ground-truth (stand-in for a person)\")\n", console.toString());
            assertTrue(app.uri().toString().startsWith("http://127.0.0.1:"), app.uri().toString());
            // The app keeps serving (for --keep-running): the page shows the stand-in's answers.
            HttpResponse<String> state = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    app.uri().resolve("/api/state")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, state.statusCode());
            assertTrue(state.body().contains("\"labelledBy\":\"" + GroundTruth.LABELLED_BY + "\""), state.body());
            assertThrows(IllegalStateException.class, () -> app.label(inbox, train, field));
        }
        for (InboxEntry e : Inbox.openExisting(inbox).list()) {
            String truth = classes.get(e.sidecar().seq());
            assertEquals(truth.isEmpty() ? null : truth, e.sidecar().label(), e.sidecar().id());
            assertEquals(truth.isEmpty() ? null : GroundTruth.LABELLED_BY, e.sidecar().labelledBy());
        }
    }

    private static Path sample(Path root, int perClass) throws Exception {
        for (String label : new String[] {"bag", "sandal"}) {
            Path dir = Files.createDirectories(root.resolve(label));
            for (int i = 0; i < perClass; i++) {
                Files.write(dir.resolve("img-" + i + ".png"), new byte[] {(byte) i});
            }
        }
        return root;
    }

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = TrainerMain.execute(args, new PrintWriter(out), new PrintWriter(err), TrainerServices.defaults());
        return new Run(code, out.toString(), err.toString());
    }
}
