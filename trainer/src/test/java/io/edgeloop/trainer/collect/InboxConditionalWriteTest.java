package io.edgeloop.trainer.collect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The inbox's versioned, conditional writes: what keeps two labellers from overwriting each other. */
class InboxConditionalWriteTest {

    private static final Instant AT = Instant.parse("2026-12-07T12:00:00Z");

    @TempDir
    Path dir;

    private InboxEntry store(Inbox inbox, long seq) throws Exception {
        byte[] jpeg = HardExamples.jpeg(seq);
        return inbox.store(HardExamples.example("cam-box", "front", seq, jpeg), jpeg, seq, "t", AT);
    }

    @Test
    void ofManyWritersThatReadTheSameVersionExactlyOneWins() throws Exception {
        Inbox collector = Inbox.open(dir);
        InboxEntry entry = store(collector, 1);
        int writers = 8;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<Boolean>> results = new ArrayList<>();
        try {
            for (int i = 0; i < writers; i++) {
                String who = "person-" + i;
                // Each writer has its own Inbox, as separate programs would.
                Inbox own = Inbox.openExisting(dir);
                results.add(pool.submit(() -> {
                    go.await();
                    try {
                        own.replace(entry.sidecar().withLabel("sandal", who, AT), entry.etag());
                        return true;
                    } catch (StaleExampleException e) {
                        assertEquals("sandal", e.current().sidecar().label());
                        return false;
                    }
                }));
            }
            go.countDown();
            int wins = 0;
            for (Future<Boolean> r : results) {
                wins += r.get(30, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertEquals(1, wins);
        } finally {
            pool.shutdownNow();
        }
        InboxEntry now = collector.get(entry.id()).orElseThrow();
        assertNotEquals(entry.etag(), now.etag());
        assertEquals(now.etag(), Inbox.openExisting(dir).list().get(0).etag(), "the version is the file's, not the"
                + " reader's");
    }

    @Test
    void aBatchIsWrittenWholeOrNotAtAll() throws Exception {
        Inbox inbox = Inbox.open(dir);
        InboxEntry a = store(inbox, 1);
        InboxEntry b = store(inbox, 2);
        inbox.update(b.sidecar().withLabel("sneaker", "ana", AT));
        byte[] before = Files.readAllBytes(a.sidecarFile());
        StaleExampleException e = assertThrows(StaleExampleException.class, () -> inbox.replaceAll(List.of(
                new Inbox.Replacement(a.sidecar().withLabel("sandal", "bo", AT), a.etag()),
                new Inbox.Replacement(b.sidecar().withLabel("sandal", "bo", AT), b.etag()))));
        assertEquals("ana", e.current().sidecar().labelledBy());
        assertEquals(new String(before), Files.readString(a.sidecarFile()), "the first, unchanged example is not"
                + " written either");
        assertFalse(inbox.get(a.id()).orElseThrow().sidecar().answered());
    }

    @Test
    void aDiscardedExampleReadsBackAndAnOldSidecarHasNoDiscardedField() throws Exception {
        Inbox inbox = Inbox.open(dir);
        InboxEntry a = store(inbox, 1);
        assertFalse(Files.readString(a.sidecarFile()).contains("discarded"));
        inbox.replace(a.sidecar().withDiscard("ana", AT), a.etag());
        ExampleSidecar s = Inbox.openExisting(dir).get(a.id()).orElseThrow().sidecar();
        assertEquals(true, s.discarded());
        assertEquals(true, s.answered());
        assertEquals(false, s.labelled());
        assertEquals("ana", s.labelledBy());
        IllegalArgumentException both = assertThrows(IllegalArgumentException.class, () -> new ExampleSidecar(
                s.schema(), s.id(), s.topic(), s.receivedAt(), s.device(), s.camera(), s.seq(), s.capturedAt(),
                s.model(), s.reason(), s.top(), s.imageSha256(), s.imageDhash(), "sandal", "ana", AT, true));
        assertEquals("label is \"sandal\" and discarded is true, allowed one of them", both.getMessage());
    }
}
