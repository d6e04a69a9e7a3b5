package io.edgeloop.trainer.collect;

import io.edgeloop.protocol.digest.Sha256;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeloop.protocol.mqtt.HardExample;
import io.edgeloop.protocol.mqtt.HardExampleReason;
import io.edgeloop.protocol.mqtt.ModelRef;
import io.edgeloop.protocol.mqtt.Payloads;
import io.edgeloop.protocol.mqtt.Prediction;
import io.edgeloop.protocol.mqtt.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HardExampleIntakeTest {

    private static final String TOPIC = "edgeloop/gate-01/front/hard";

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T19:00:00Z"));

    private HardExampleIntake intake(Inbox inbox, int nearBits, int maxPerHour) {
        return new HardExampleIntake(inbox, Topics.DEFAULT, nearBits, maxPerHour, clock);
    }

    @Test
    void storesImageAndSidecarUnderDeviceAndCamera() throws Exception {
        Inbox inbox = Inbox.open(dir.resolve("inbox"));
        HardExampleIntake intake = intake(inbox, 3, 0);
        byte[] jpeg = HardExamples.jpeg(1);
        assertEquals(HardExampleIntake.Outcome.STORED,
                intake.accept(TOPIC, HardExamples.payload("gate-01", "front", 1843, jpeg)));

        String sha = Sha256.hex(jpeg);
        String stem = "20261128T180905650Z-1843-" + sha.substring(0, 8);
        Path image = dir.resolve("inbox/gate-01/front/" + stem + ".jpg");
        assertArrayEquals(jpeg, Files.readAllBytes(image));
        List<InboxEntry> entries = inbox.list();
        assertEquals(1, entries.size());
        ExampleSidecar s = entries.get(0).sidecar();
        assertEquals("gate-01.front." + stem, s.id());
        assertEquals(TOPIC, s.topic());
        assertEquals(clock.instant(), s.receivedAt());
        assertEquals(1843, s.seq());
        assertEquals(HardExampleReason.MARGIN, s.reason());
        assertEquals("sneaker", s.top().get(0).label());
        assertEquals(sha, s.imageSha256());
        assertEquals(false, s.labelled());
        String json = Files.readString(entries.get(0).sidecarFile());
        assertTrue(!json.contains("\"image\""), "the sidecar holds the payload minus the image: " + json);
        try (var files = Files.list(image.getParent())) {
            assertEquals(2, files.count(), "no temporary files left behind");
        }
    }

    @Test
    void everyReasonIsStoredWithItsReasonAlsoWhenThePayloadListsSeveral() throws Exception {
        Inbox inbox = Inbox.open(dir.resolve("inbox"));
        HardExampleIntake intake = intake(inbox, 0, 0); // distinct pictures; near-duplicates are tested below
        HardExampleReason[] reasons = HardExampleReason.values();
        for (int i = 0; i < reasons.length; i++) {
            HardExample e = HardExample.of("gate-01", "front", i, HardExamples.CAPTURED.plusSeconds(i),
                    ModelRef.of("fashion", "2026.11.28-1"), reasons[i],
                    List.of(new Prediction("sneaker", 0.93), new Prediction("sandal", 0.04)),
                    HardExamples.jpeg(100 + i), i % 2 == 0 ? List.of(reasons[i]) : List.of(reasons[i], reasons[0]));
            assertEquals(HardExampleIntake.Outcome.STORED, intake.accept(TOPIC, Payloads.encode(e)), reasons[i].name());
        }
        List<HardExampleReason> stored = inbox.list().stream().sorted(java.util.Comparator.comparingLong(
                (InboxEntry x) -> x.sidecar().seq())).map(x -> x.sidecar().reason()).toList();
        assertEquals(List.of(reasons), stored);
    }

    @Test
    void exactAndNearDuplicatesAreSkippedAndCountedAlsoAfterReopening() throws Exception {
        Path inboxDir = dir.resolve("inbox");
        HardExampleIntake first = intake(Inbox.open(inboxDir), 3, 0);
        byte[] jpeg = HardExamples.jpeg(2);
        assertEquals(HardExampleIntake.Outcome.STORED,
                first.accept(TOPIC, HardExamples.payload("gate-01", "front", 1, jpeg)));
        // Same bytes again (QoS 1 redelivery, or another camera seeing the very same frame).
        assertEquals(HardExampleIntake.Outcome.DUPLICATE,
                first.accept("edgeloop/gate-02/back/hard", HardExamples.payload("gate-02", "back", 7, jpeg)));
        // The same picture encoded at another quality: other bytes, same difference hash neighbourhood.
        byte[] reencoded = HardExamples.jpeg(HardExamples.image(2), 0.5f);
        assertTrue(!java.util.Arrays.equals(jpeg, reencoded));
        assertEquals(HardExampleIntake.Outcome.NEAR_DUPLICATE,
                first.accept(TOPIC, HardExamples.payload("gate-01", "front", 2, reencoded)));
        assertEquals(HardExampleIntake.Outcome.STORED,
                first.accept(TOPIC, HardExamples.payload("gate-01", "front", 3, HardExamples.jpeg(3))));

        HardExampleIntake reopened = intake(Inbox.open(inboxDir), 3, 0);
        assertEquals(HardExampleIntake.Outcome.DUPLICATE,
                reopened.accept(TOPIC, HardExamples.payload("gate-01", "front", 1, jpeg)));
        assertEquals(HardExampleIntake.Outcome.NEAR_DUPLICATE,
                reopened.accept(TOPIC, HardExamples.payload("gate-01", "front", 2, reencoded)));
        // With near-duplicate detection off, the re-encoded picture is stored.
        HardExampleIntake exactOnly = intake(Inbox.open(inboxDir), -1, 0);
        assertEquals(HardExampleIntake.Outcome.STORED,
                exactOnly.accept(TOPIC, HardExamples.payload("gate-01", "front", 2, reencoded)));

        assertEquals("received 4, stored 2, duplicates 2 (exact 1, near 1), rejected 0, throttled 0, failed 0",
                first.stats().summary().toString());
        assertEquals(3, Inbox.open(inboxDir).list().size());
    }

    @Test
    void malformedMessagesAreRejectedAndCountedNeverThrown() throws Exception {
        Inbox inbox = Inbox.open(dir.resolve("inbox"));
        HardExampleIntake intake = intake(inbox, 3, 0);
        byte[] good = HardExamples.payload("gate-01", "front", 1, HardExamples.jpeg(4));
        String text = new String(good, StandardCharsets.UTF_8);

        assertEquals(HardExampleIntake.Outcome.REJECTED,
                intake.accept(TOPIC, "{not json".getBytes(StandardCharsets.UTF_8)));
        assertEquals(HardExampleIntake.Outcome.REJECTED, intake.accept(TOPIC, new byte[0]));
        // Published on another device's topic.
        assertEquals(HardExampleIntake.Outcome.REJECTED, intake.accept("edgeloop/gate-09/front/hard", good));
        // Not a hard-example topic at all.
        assertEquals(HardExampleIntake.Outcome.REJECTED, intake.accept("edgeloop/gate-01/status", good));
        // Hash that does not match the image.
        assertEquals(HardExampleIntake.Outcome.REJECTED, intake.accept(TOPIC,
                text.replaceFirst("\"imageSha256\":\"[0-9a-f]",
                        "\"imageSha256\":\"x").getBytes(StandardCharsets.UTF_8)));
        // JPEG marker but no decodable image.
        byte[] broken = new byte[200];
        broken[0] = (byte) 0xFF;
        broken[1] = (byte) 0xD8;
        broken[2] = (byte) 0xFF;
        assertEquals(HardExampleIntake.Outcome.REJECTED,
                intake.accept(TOPIC, HardExamples.payload("gate-01", "front", 2, broken)));

        assertEquals(HardExampleIntake.Outcome.STORED, intake.accept(TOPIC, good));
        assertEquals(new CollectorStats.Summary(7, 1, 0, 0, 6, 0, 0), intake.stats().summary());
        assertEquals(1, inbox.list().size());
    }

    @Test
    void hourlyLimitPerDeviceSlides() throws Exception {
        HardExampleIntake intake = intake(Inbox.open(dir.resolve("inbox")), 3, 2);
        long seed = 10;
        assertEquals(HardExampleIntake.Outcome.STORED, accept(intake, "gate-01", seed++));
        assertEquals(HardExampleIntake.Outcome.STORED, accept(intake, "gate-01", seed++));
        assertEquals(HardExampleIntake.Outcome.THROTTLED, accept(intake, "gate-01", seed++));
        assertEquals(HardExampleIntake.Outcome.STORED, accept(intake, "gate-02", seed++));
        clock.advance(Duration.ofMinutes(61));
        assertEquals(HardExampleIntake.Outcome.STORED, accept(intake, "gate-01", seed++));
        assertEquals(1, intake.stats().summary().throttled());
    }

    private static HardExampleIntake.Outcome accept(HardExampleIntake intake, String device, long seed) {
        return intake.accept("edgeloop/" + device + "/front/hard",
                HardExamples.payload(device, "front", seed, HardExamples.jpeg(seed)));
    }

    @Test
    void failedWriteIsReportedAsFailedSoItIsNotAcknowledged() throws Exception {
        Path inboxDir = dir.resolve("inbox");
        Inbox inbox = Inbox.open(inboxDir);
        HardExampleIntake intake = intake(inbox, 3, 0);
        // A file where the device directory must go makes the write fail.
        Files.writeString(inboxDir.resolve("gate-01"), "in the way");
        assertEquals(HardExampleIntake.Outcome.FAILED,
                intake.accept(TOPIC, HardExamples.payload("gate-01", "front", 1, HardExamples.jpeg(5))));
        assertEquals(1, intake.stats().summary().failed());
    }

    /** A clock the test moves by hand. */
    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
