package io.edgeloop.agent.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {

    @TempDir
    Path dir;

    private static SpooledMessage msg(int i) {
        return new SpooledMessage("t/" + (i % 3), 1, i % 2 == 0, ("payload-" + i).getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> drain(Spool spool, boolean commit) throws Exception {
        List<String> out = new ArrayList<>();
        Spool.Entry e;
        while ((e = spool.next(10, TimeUnit.MILLISECONDS)) != null) {
            out.add(new String(e.message().payload(), StandardCharsets.UTF_8));
            if (commit) {
                spool.commit(e);
            }
        }
        return out;
    }

    private long segmentFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".seg")).count();
        }
    }

    @Test
    void aDeliveredSegmentIsDeletedAsSoonAsItsLastRecordIsCommitted() throws Exception {
        // a full disk: the spool rolls to a new segment after a failed append and must get the old one's space
        // back once it is delivered, without waiting for a record of the new (still empty) segment
        try (Spool spool = Spool.open(dir, 1 << 20, 40, 0)) {
            spool.append(msg(0));
            spool.append(msg(1)); // does not fit the 40-byte segment: a second one
            assertEquals(2, segmentFiles());
            spool.commit(spool.next(10, TimeUnit.MILLISECONDS));
            assertEquals(1, segmentFiles(), "the finished first segment is deleted");
            assertEquals(List.of("payload-1"), drain(spool, true));
            assertEquals(0, spool.pending());
        }
        try (Spool reopened = Spool.open(dir, 1 << 20, 40, 0)) {
            assertEquals(0, reopened.pending());
        }
    }

    @Test
    void deliversInOrderAndKeepsFields() throws Exception {
        try (Spool spool = Spool.open(dir, 1 << 20, 64 << 10, 0)) {
            for (int i = 0; i < 5; i++) {
                spool.append(msg(i));
            }
            Spool.Entry first = spool.next(10, TimeUnit.MILLISECONDS);
            assertNotNull(first);
            assertEquals("t/0", first.message().topic());
            assertEquals(1, first.message().qos());
            assertTrue(first.message().retained());
            spool.commit(first);
            assertEquals(List.of("payload-1", "payload-2", "payload-3", "payload-4"), drain(spool, true));
            assertEquals(0, spool.pending());
        }
    }

    @Test
    void uncommittedRecordsSurviveRestartAndRewind() throws Exception {
        try (Spool spool = Spool.open(dir, 1 << 20, 64 << 10, 1000)) {
            for (int i = 0; i < 10; i++) {
                spool.append(msg(i));
            }
            for (int i = 0; i < 4; i++) {
                spool.commit(spool.next(10, TimeUnit.MILLISECONDS));
            }
            // read ahead without acknowledgement, then the connection drops
            spool.next(10, TimeUnit.MILLISECONDS);
            spool.next(10, TimeUnit.MILLISECONDS);
            spool.rewind();
            assertEquals(6, spool.pending());
        }
        try (Spool spool = Spool.open(dir, 1 << 20, 64 << 10, 1000)) {
            assertEquals(6, spool.pending());
            assertEquals(List.of("payload-4", "payload-5", "payload-6", "payload-7", "payload-8", "payload-9"),
                    drain(spool, true));
        }
        try (Spool spool = Spool.open(dir, 1 << 20, 64 << 10, 1000)) {
            assertEquals(0, spool.pending());
            assertNull(spool.next(10, TimeUnit.MILLISECONDS));
        }
    }

    @Test
    void rollsSegmentsAndDeletesDeliveredOnes() throws Exception {
        byte[] big = new byte[20_000];
        try (Spool spool = Spool.open(dir, 1 << 20, 64 << 10, 0)) {
            for (int i = 0; i < 20; i++) {
                spool.append(new SpooledMessage("t", 1, false, big));
            }
            assertTrue(segments() >= 6, "segments: " + segments());
            assertEquals(20, drain(spool, true).size());
            assertEquals(1, segments());
        }
    }

    @Test
    void dropsOldestSegmentsBeyondTheCapAndCountsThem() throws Exception {
        byte[] big = new byte[30_000];
        int appended = 100;
        try (Spool spool = Spool.open(dir, 1 << 20, 64 << 10, 0)) {
            for (int i = 0; i < appended; i++) {
                byte[] p = big.clone();
                p[0] = (byte) i;
                spool.append(new SpooledMessage("t", 1, false, p));
            }
            assertTrue(spool.sizeBytes() <= 1 << 20, "size " + spool.sizeBytes());
            assertTrue(spool.dropped() > 0);
            assertEquals(appended, spool.dropped() + spool.pending());
            Spool.Entry first = spool.next(10, TimeUnit.MILLISECONDS);
            // the oldest surviving record is the first one not dropped: order is kept
            assertEquals((byte) spool.dropped(), first.message().payload()[0]);
        }
    }

    @Test
    void cutsATornTailOnOpen() throws Exception {
        try (Spool spool = Spool.open(dir, 1 << 20, 64 << 10, 0)) {
            for (int i = 0; i < 3; i++) {
                spool.append(msg(i));
            }
        }
        Path segment;
        try (Stream<Path> files = Files.list(dir)) {
            segment = files.filter(p -> p.toString().endsWith(".seg")).findFirst().orElseThrow();
        }
        long size = Files.size(segment);
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            ch.truncate(size - 3); // the last record was half-written when the power went
        }
        try (Spool spool = Spool.open(dir, 1 << 20, 64 << 10, 0)) {
            assertEquals(2, spool.pending());
            spool.append(msg(7));
            assertEquals(List.of("payload-0", "payload-1", "payload-7"), drain(spool, true));
        }
    }

    @Test
    void syncWritesTheCommitPositionWithoutWaitingForTraffic() throws Exception {
        Spool first = Spool.open(dir, 1 << 20, 64 << 10, 60_000);
        try {
            for (int i = 0; i < 5; i++) {
                first.append(msg(i));
            }
            // two commits within 100 ms: the commit file is not rewritten for them
            first.commit(first.next(10, TimeUnit.MILLISECONDS));
            first.commit(first.next(10, TimeUnit.MILLISECONDS));
            first.sync();
            try (Spool second = Spool.open(dir, 1 << 20, 64 << 10, 0)) {
                assertEquals(3, second.pending());
            }
        } finally {
            first.close();
        }
    }

    @Test
    void corruptRecordStopsTheScanThere() throws Exception {
        try (Spool spool = Spool.open(dir, 1 << 20, 64 << 10, 0)) {
            for (int i = 0; i < 3; i++) {
                spool.append(msg(i));
            }
        }
        Path segment;
        try (Stream<Path> files = Files.list(dir)) {
            segment = files.filter(p -> p.toString().endsWith(".seg")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(segment);
        bytes[bytes.length - 2] ^= 0x55; // flip bits in the last record's payload: CRC mismatch
        Files.write(segment, bytes);
        try (Spool spool = Spool.open(dir, 1 << 20, 64 << 10, 0)) {
            assertEquals(List.of("payload-0", "payload-1"), drain(spool, true));
        }
    }

    @Test
    void rejectsRecordsLargerThanTheCap() throws Exception {
        try (Spool spool = Spool.open(dir, 1 << 20, 64 << 10, 0)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> spool.append(new SpooledMessage("t/x", 1, false, new byte[2 << 20])));
            assertEquals("message for t/x has 2097159 bytes, more than the spool accepts (1048568)", e.getMessage());
        }
    }

    @Test
    void aCrashWithoutCloseLosesNothingAppended() throws Exception {
        // the first spool is abandoned without close(), as after kill -9: only what the OS already has survives
        Spool crashed = Spool.open(dir, 1 << 20, 64 << 10, 60_000);
        for (int i = 0; i < 10; i++) {
            crashed.append(msg(i));
        }
        for (int i = 0; i < 4; i++) {
            crashed.commit(crashed.next(10, TimeUnit.MILLISECONDS));
        }
        try (Spool restarted = Spool.open(dir, 1 << 20, 64 << 10, 0)) {
            List<String> delivered = drain(restarted, true);
            // at-least-once: the commit file is written at most every 100 ms, so acknowledged messages may repeat,
            // but every unacknowledged one is there, in order
            assertTrue(delivered.size() >= 6 && delivered.size() <= 10, delivered.toString());
            assertEquals(List.of("payload-4", "payload-5", "payload-6", "payload-7", "payload-8", "payload-9"),
                    delivered.subList(delivered.size() - 6, delivered.size()));
        } finally {
            crashed.close(); // release the abandoned file handles (after the check)
        }
    }

    private long segments() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".seg")).count();
        }
    }
}
