package io.edgeloop.trainer.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeloop.protocol.mqtt.Topics;
import io.edgeloop.trainer.collect.ExampleId;
import io.edgeloop.trainer.collect.HardExampleIntake;
import io.edgeloop.trainer.collect.HardExamples;
import io.edgeloop.trainer.collect.Inbox;
import io.edgeloop.trainer.collect.InboxEntry;
import io.edgeloop.trainer.label.DatasetExport;
import io.edgeloop.trainer.label.GroundTruth;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The label workflow as the demo and a web app call it: no command line involved. */
class LabelJobTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T20:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    @Test
    void autoLabelFromTheReplayTreeThenExportIntoTheTrainingTree() throws Exception {
        // The device replays four blocky images, two per class, and sends each one back re-encoded.
        Path replay = dir.resolve("replay");
        Path inboxDir = dir.resolve("inbox");
        HardExampleIntake intake = new HardExampleIntake(Inbox.open(inboxDir), Topics.DEFAULT, -1, 0, CLOCK);
        Map<Long, String> classes = Map.of(1L, "bag", 2L, "bag", 3L, "coat", 4L, "coat");
        for (Map.Entry<Long, String> c : classes.entrySet()) {
            Path image = Files.createDirectories(replay.resolve(c.getValue())).resolve("img-" + c.getKey() + ".png");
            ImageIO.write(HardExamples.image(c.getKey()), "png", image.toFile());
            assertEquals(HardExampleIntake.Outcome.STORED, intake.accept("edgeloop/gate-01/front/hard",
                    HardExamples.payload("gate-01", "front", c.getKey(), HardExamples.jpeg(c.getKey()))));
        }
        LabelJob job = LabelJob.open(inboxDir, CLOCK);

        AutoLabelResult result = job.auto(AutoLabelRequest.fromReplay(replay, 8.0));

        assertEquals(4, result.labelled());
        assertEquals(0, result.withoutTruth());
        assertEquals(0, result.alreadyLabelled());
        for (InboxEntry e : job.list()) {
            assertEquals(classes.get(e.sidecar().seq()), e.sidecar().label(), e.sidecar().id());
            assertEquals(GroundTruth.LABELLED_BY, e.sidecar().labelledBy());
        }
        // The replay tree's classes are known, though the models' top-k never named them.
        Path train = dir.resolve("train");
        Files.createDirectories(train.resolve("bag"));
        Files.createDirectories(train.resolve("coat"));
        DatasetExport.Result exported = job.export(train);
        assertEquals(Map.of("bag", 2, "coat", 2), exported.exported());
        assertEquals(0, job.auto(AutoLabelRequest.fromReplay(replay, 8.0)).labelled(), "nothing left to label");
    }

    @Test
    void setChecksTheLabelAgainstTheKnownOnes() throws Exception {
        Path inboxDir = dir.resolve("inbox");
        HardExampleIntake intake = new HardExampleIntake(Inbox.open(inboxDir), Topics.DEFAULT, -1, 0, CLOCK);
        intake.accept("edgeloop/gate-01/front/hard", HardExamples.payload("gate-01", "front", 1,
                HardExamples.jpeg(5)));
        LabelJob job = LabelJob.open(inboxDir, CLOCK);
        ExampleId id = job.list().get(0).id();
        assertEquals(new TreeSet<>(List.of("sandal", "sneaker")), job.knownLabels(LabelCheck.KNOWN_ONLY).labels());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> job.set(new LabelRequest(id, "sandl", "ana", LabelCheck.KNOWN_ONLY)));
        assertTrue(e.getMessage().startsWith("--as is \"sandl\", not a known label; allowed [sandal, sneaker]"),
                e.getMessage());

        LabelChange change = job.set(new LabelRequest(id, "sandal", "ana", LabelCheck.KNOWN_ONLY));
        assertEquals(new LabelChange(id, Optional.empty(), "sandal", "ana", false), change);
        assertEquals(Instant.parse("2026-11-28T20:00:00Z"), job.list().get(0).sidecar().labelledAt());
        assertEquals(new LabelChange(id, Optional.of("sandal"), "boot", "ben", true),
                job.set(new LabelRequest(id, "boot", "ben", LabelCheck.KNOWN_ONLY.allowingNew())));
    }
}
