package io.edgeloop.trainer.gate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeloop.protocol.mqtt.Topics;
import io.edgeloop.trainer.collect.HardExampleIntake;
import io.edgeloop.trainer.collect.HardExamples;
import io.edgeloop.trainer.collect.Inbox;
import io.edgeloop.trainer.collect.InboxEntry;
import io.edgeloop.trainer.data.ImageFolder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gate's test set: held-out images plus the labelled hard examples no model was trained on, counted. */
class GateSetTest {

    @TempDir
    Path dir;

    @Test
    void heldOutImagesAndTheUntrainedLabelledHardExamples() throws Exception {
        Path data = dir.resolve("held-out");
        for (String label : List.of("bag", "coat")) {
            Files.createDirectories(data.resolve(label));
            Files.write(data.resolve(label).resolve(label + "-1.jpg"), HardExamples.jpeg(label.length()));
        }
        Path inboxDir = dir.resolve("inbox");
        HardExampleIntake intake = new HardExampleIntake(Inbox.open(inboxDir), Topics.DEFAULT, -1, 0,
                Clock.systemUTC());
        for (long seq = 1; seq <= 7; seq++) {
            assertEquals(HardExampleIntake.Outcome.STORED, intake.accept("edgeloop/gate-01/front/hard",
                    HardExamples.payload("gate-01", "front", seq, HardExamples.jpeg(seq))));
        }
        Inbox inbox = Inbox.openExisting(inboxDir);
        List<InboxEntry> e = inbox.list();
        Instant now = Instant.parse("2026-12-07T12:00:00Z");
        inbox.update(e.get(0).sidecar().withLabel("bag", "ana", now));      // trained on (by id)
        inbox.update(e.get(1).sidecar().withLabel("coat", "ana", now));     // trained on (by image hash)
        inbox.update(e.get(2).sidecar().withLabel("hat", "ana", now));      // not a class of the models
        inbox.update(e.get(3).sidecar().withLabel("bag", "ana", now));      // judged on
        inbox.update(e.get(4).sidecar().withLabel("coat", "ben", now));     // judged on
        inbox.update(e.get(5).sidecar().withDiscard("ana", now));           // discarded: ignored
        List<InboxEntry> entries = inbox.list();                            // e.get(6): unlabelled, ignored
        GateSet.TrainedOn trained = new GateSet.TrainedOn(Set.of(e.get(0).sidecar().id()),
                Set.of(e.get(1).sidecar().imageSha256()));

        Path folder;
        try (GateSet set = GateSet.build(data, entries, trained, List.of("bag", "coat"), dir)) {
            folder = set.folder();
            assertEquals(2, set.dataImages());
            assertEquals(2, set.hardExamples());
            assertEquals(2, set.trainedOn());
            assertEquals(1, set.otherClass());
            assertEquals(4, set.images());
            ImageFolder scanned = ImageFolder.scan(folder);
            assertEquals(List.of("bag", "coat"), scanned.labels());
            assertEquals(List.of("bag/bag-1.jpg", "bag/hard-" + e.get(3).sidecar().id() + ".jpg", "coat/coat-1.jpg",
                    "coat/hard-" + e.get(4).sidecar().id() + ".jpg"),
                    scanned.samples().stream().map(s -> s.relativePath()).toList());
            assertArrayEquals(Files.readAllBytes(e.get(4).image()),
                    Files.readAllBytes(folder.resolve("coat/hard-" + e.get(4).sidecar().id() + ".jpg")));
        }
        assertFalse(Files.exists(folder), "close removes the links");
        assertTrue(Files.exists(e.get(4).image()), "the images themselves stay");
    }

    @Test
    void aHeldOutFolderWithAnotherClassIsRefusedNamingIt() throws Exception {
        Path data = dir.resolve("held-out");
        Files.createDirectories(data.resolve("hat"));
        Files.write(data.resolve("hat/h.jpg"), HardExamples.jpeg(3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GateSet.build(data,
                List.of(), GateSet.TrainedOn.NONE, List.of("bag", "coat"), dir));
        assertEquals("--gate gate folder " + data + " has class folder 'hat' that is not one of the models' classes"
                + " [bag, coat]; allowed an ImageFolder <label>/<image> of held-out images whose class folders are"
                + " among [bag, coat]", e.getMessage());
        try (var left = Files.list(dir)) {
            assertEquals(List.of(data), left.toList(), "no temporary folder is left behind");
        }
    }
}
