package io.edgeloop.agent.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded, append-only, on-disk FIFO of MQTT messages that survives restarts.
 *
 * <p>Layout: segment files {@code <index>.seg} holding records {@code [int length][int crc32][body]}, body
 * {@code [u16 topicLength][topic][u8 qos][u8 retained][payload]}; a {@code commit} file holding the position of the
 * first record not yet acknowledged. On open, segments are scanned and a torn or corrupt tail is cut off. Readers
 * take records with {@link #next} (a read cursor that may run ahead of the commit for pipelining), then
 * {@link #commit} them in order once the broker acknowledged; {@link #rewind} returns to the commit after a
 * disconnect so unacknowledged records are sent again (at-least-once). Beyond {@code maxBytes}, whole oldest segments
 * are dropped and counted. Thread-safe.
 */
public final class Spool implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Spool.class);
    private static final int HEADER = 8;
    private static final String COMMIT_FILE = "commit";
    /** Largest record body accepted; guards the reader against garbage lengths. */
    public static final int MAX_RECORD_BYTES = 64 << 20;

    private static final class Segment {
        final long index;
        final Path path;
        long size;
        int records;

        Segment(long index, Path path) {
            this.index = index;
            this.path = path;
        }
    }

    /** A position in the spool: segment index, byte offset and record ordinal within the segment. */
    private record Cursor(long segment, long offset, int ordinal) {
    }

    /**
     * A record handed to a reader, with where it ends so it can be committed.
     *
     * @param message the message
     * @param end     position just after the record
     */
    public record Entry(SpooledMessage message, Object end) {
    }

    private final Path dir;
    private final long maxBytes;
    private final long segmentBytes;
    private final long syncNanos;
    private final Deque<Segment> segments = new ArrayDeque<>();
    private FileChannel writer;
    private FileChannel reader;
    private long readerSegment = -1;
    private Cursor commit;
    private Cursor read;
    private long totalBytes;
    private long pending;
    private long dropped;
    private long lastSync = System.nanoTime();
    private long lastCommitWrite = System.nanoTime();
    private boolean commitDirty;
    private boolean unsynced;
    private boolean closed;
    private final CRC32 crc = new CRC32();

    private Spool(Path dir, long maxBytes, long segmentBytes, long syncMillis) {
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.segmentBytes = segmentBytes;
        this.syncNanos = TimeUnit.MILLISECONDS.toNanos(syncMillis);
    }

    /**
     * Opens (creating if needed) the spool in a directory, recovering what a previous run left.
     *
     * @param maxBytes     size cap of all segments
     * @param segmentBytes size at which a new segment is started
     * @param syncMillis   appended records are forced to disk at most this long after being written (0 = always)
     */
    public static Spool open(Path dir, long maxBytes, long segmentBytes, long syncMillis) throws IOException {
        if (segmentBytes < 1 || maxBytes < segmentBytes) {
            throw new IllegalArgumentException("spool segmentBytes " + segmentBytes + " must be 1..maxBytes ("
                    + maxBytes + ")");
        }
        Files.createDirectories(dir);
        Spool spool = new Spool(dir, maxBytes, segmentBytes, syncMillis);
        spool.recover();
        return spool;
    }

    private void recover() throws IOException {
        List<Long> indexes = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d{20}\\.seg"))
                    .forEach(n -> indexes.add(Long.parseLong(n.substring(0, 20))));
        }
        indexes.sort(null);
        for (long index : indexes) {
            Segment s = new Segment(index, segmentPath(index));
            scan(s);
            segments.add(s);
            totalBytes += s.size;
        }
        Cursor stored = readCommit();
        Segment first = segments.peekFirst();
        if (first == null) {
            Segment s = new Segment(0, segmentPath(0));
            segments.add(s);
            first = s;
            commit = new Cursor(0, 0, 0);
        } else if (stored == null || stored.segment() < first.index) {
            commit = new Cursor(first.index, 0, 0);
        } else {
            commit = stored;
            Segment at = find(stored.segment());
            if (at == null || stored.offset() > at.size) {
                LOG.warn("spool {}: commit position {} is past the data; starting from the first record", dir, stored);
                commit = new Cursor(first.index, 0, 0);
            }
        }
        // segments wholly before the commit are done
        while (segments.size() > 1 && segments.peekFirst().index < commit.segment()) {
            deleteFirst(false);
        }
        pending = 0;
        for (Segment s : segments) {
            pending += s.records;
        }
        pending -= commit.ordinal();
        read = commit;
        Segment last = segments.peekLast();
        writer = FileChannel.open(last.path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        writer.position(last.size);
        if (pending > 0) {
            LOG.info("spool {}: {} undelivered messages from a previous run", dir, pending);
        }
    }

    /** Counts the valid records of a segment and cuts off a torn or corrupt tail. */
    private void scan(Segment s) throws IOException {
        try (FileChannel ch = FileChannel.open(s.path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            long pos = 0;
            ByteBuffer header = ByteBuffer.allocate(HEADER);
            CRC32 check = new CRC32();
            while (pos + HEADER <= size) {
                header.clear();
                readFully(ch, header, pos);
                int length = header.getInt(0);
                int expected = header.getInt(4);
                if (length < 4 || length > MAX_RECORD_BYTES || pos + HEADER + length > size) {
                    break;
                }
                ByteBuffer body = ByteBuffer.allocate(length);
                readFully(ch, body, pos + HEADER);
                check.reset();
                check.update(body.array(), 0, length);
                if ((int) check.getValue() != expected) {
                    break;
                }
                pos += HEADER + length;
                s.records++;
            }
            if (pos < size) {
                LOG.warn("spool {}: cutting {} bytes of torn or corrupt data at offset {}", s.path, size - pos, pos);
                ch.truncate(pos);
                ch.force(true);
            }
            s.size = pos;
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buffer, long position) throws IOException {
        long pos = position;
        while (buffer.hasRemaining()) {
            int n = ch.read(buffer, pos);
            if (n < 0) {
                throw new IOException("unexpected end of spool segment at " + pos);
            }
            pos += n;
        }
        buffer.flip();
    }

    /** Appends a message; it is durable against a process crash on return. */
    public synchronized void append(SpooledMessage message) throws IOException {
        ensureOpen();
        byte[] topic = message.topic().getBytes(StandardCharsets.UTF_8);
        int bodyLength = 2 + topic.length + 2 + message.payload().length;
        if (bodyLength > MAX_RECORD_BYTES || bodyLength + HEADER > maxBytes) {
            throw new IllegalArgumentException("message for " + message.topic() + " has " + bodyLength
                    + " bytes, more than the spool accepts (" + Math.min(MAX_RECORD_BYTES, maxBytes - HEADER) + ")");
        }
        Segment last = segments.peekLast();
        if (last.size > 0 && last.size + HEADER + bodyLength > segmentBytes) {
            roll();
            last = segments.peekLast();
        }
        ByteBuffer buffer = ByteBuffer.allocate(HEADER + bodyLength);
        buffer.putInt(bodyLength).putInt(0);
        buffer.putShort((short) topic.length).put(topic).put((byte) message.qos())
                .put((byte) (message.retained() ? 1 : 0)).put(message.payload());
        crc.reset();
        crc.update(buffer.array(), HEADER, bodyLength);
        buffer.putInt(4, (int) crc.getValue());
        buffer.flip();
        try {
            while (buffer.hasRemaining()) {
                writer.write(buffer);
            }
        } catch (IOException e) {
            abandonWrite(last, e);
            throw e;
        }
        last.size += HEADER + bodyLength;
        last.records++;
        totalBytes += HEADER + bodyLength;
        pending++;
        long now = System.nanoTime();
        unsynced = true;
        if (syncNanos == 0 || now - lastSync >= syncNanos) {
            writer.force(false);
            lastSync = now;
            unsynced = false;
        }
        enforceCap();
        notifyAll();
    }

    /**
     * After a failed append (typically a full disk): cuts the partly written record off, so the next append does not
     * land behind garbage that recovery would stop at (losing every record after it), and starts a new segment if
     * this one holds records, so that the disk space of this one is given back once it is delivered.
     */
    private void abandonWrite(Segment last, IOException cause) {
        try {
            writer.truncate(last.size);
            writer.position(last.size);
            if (last.records > 0) {
                roll();
            }
        } catch (IOException e) {
            cause.addSuppressed(e);
        }
    }

    private void roll() throws IOException {
        long index = segments.peekLast().index + 1;
        Segment s = new Segment(index, segmentPath(index));
        // the new file first: if it cannot be made, the spool goes on with the current one
        FileChannel next = FileChannel.open(s.path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        FileChannel previous = writer;
        segments.add(s);
        writer = next;
        try {
            previous.force(false);
        } finally {
            previous.close();
        }
    }

    private void enforceCap() throws IOException {
        while (totalBytes > maxBytes && segments.size() > 1) {
            deleteFirst(true);
        }
    }

    private void deleteFirst(boolean countDrops) throws IOException {
        Segment first = segments.removeFirst();
        totalBytes -= first.size;
        if (countDrops) {
            int undelivered = commit.segment() == first.index ? first.records - commit.ordinal()
                    : commit.segment() < first.index ? first.records : 0;
            if (undelivered > 0) {
                dropped += undelivered;
                pending -= undelivered;
                LOG.warn("spool {}: over {} bytes, dropped {} oldest undelivered messages", dir, maxBytes, undelivered);
            }
        }
        Segment next = segments.peekFirst();
        if (commit.segment() <= first.index) {
            commit = new Cursor(next.index, 0, 0);
            commitDirty = true;
            writeCommit();
        }
        if (read != null && read.segment() <= first.index) {
            read = commit;
        }
        if (readerSegment == first.index) {
            closeReader();
        }
        Files.deleteIfExists(first.path);
    }

    /**
     * Takes the next record after the read cursor, waiting up to the timeout for one to be appended.
     *
     * @return the record, or null on timeout or when closed
     */
    public synchronized Entry next(long timeout, TimeUnit unit) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (!closed) {
            Entry e = readAt(read);
            if (e != null) {
                read = (Cursor) e.end();
                return e;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return null;
    }

    private Entry readAt(Cursor at) throws IOException {
        Segment s = find(at.segment());
        Cursor pos = at;
        while (s != null && pos.offset() >= s.size) {
            Segment following = after(s.index);
            if (following == null) {
                return null;
            }
            s = following;
            pos = new Cursor(s.index, 0, 0);
        }
        if (s == null) {
            return null;
        }
        if (readerSegment != s.index) {
            closeReader();
            reader = FileChannel.open(s.path, StandardOpenOption.READ);
            readerSegment = s.index;
        }
        ByteBuffer header = ByteBuffer.allocate(HEADER);
        readFully(reader, header, pos.offset());
        int length = header.getInt(0);
        ByteBuffer body = ByteBuffer.allocate(length);
        readFully(reader, body, pos.offset() + HEADER);
        int topicLength = Short.toUnsignedInt(body.getShort());
        String topic = new String(body.array(), 2, topicLength, StandardCharsets.UTF_8);
        body.position(2 + topicLength);
        int qos = body.get();
        boolean retained = body.get() != 0;
        byte[] payload = new byte[body.remaining()];
        body.get(payload);
        return new Entry(new SpooledMessage(topic, qos, retained, payload),
                new Cursor(s.index, pos.offset() + HEADER + length, pos.ordinal() + 1));
    }

    /**
     * Marks everything up to and including this entry as delivered. Entries must be committed in the order
     * {@link #next} returned them; an entry already dropped by the size cap is ignored.
     */
    public synchronized void commit(Entry entry) throws IOException {
        Cursor end = (Cursor) entry.end();
        if (end.segment() < commit.segment()
                || (end.segment() == commit.segment() && end.offset() <= commit.offset())) {
            return;
        }
        long committed;
        if (end.segment() == commit.segment()) {
            committed = end.ordinal() - commit.ordinal();
        } else {
            // the entry is in a later segment: the rest of the commit segment and the whole segments between
            committed = 0;
            for (Segment s : segments) {
                if (s.index == commit.segment()) {
                    committed += s.records - commit.ordinal();
                } else if (s.index > commit.segment() && s.index < end.segment()) {
                    committed += s.records;
                }
            }
            committed += end.ordinal();
        }
        pending -= committed;
        commit = end;
        commitDirty = true;
        Segment at = find(commit.segment());
        Segment following = after(commit.segment());
        if (at != null && following != null && commit.offset() >= at.size) {
            // the end of a finished segment is the start of the next: the finished one can go (and its disk space)
            commit = new Cursor(following.index, 0, 0);
        }
        while (segments.size() > 1 && segments.peekFirst().index < commit.segment()) {
            deleteFirst(false);
        }
        long now = System.nanoTime();
        // the commit file is rewritten at most every 100 ms (and by sync() and close()), also when the spool runs
        // empty: a file rename per delivered message would cost more than the event itself. After a crash the
        // messages acknowledged in the last 100 ms (or since the last sync) may be sent twice: at-least-once.
        if (now - lastCommitWrite >= TimeUnit.MILLISECONDS.toNanos(100)) {
            try {
                writeCommit();
            } catch (IOException e) {
                // the delivery itself succeeded; an unsaved position only means duplicates after a crash. Retried
                // at the next commit or sync (a full disk gets space back as delivered segments are deleted).
                lastCommitWrite = now;
                LOG.warn("spool {}: cannot save the commit position ({}); retrying", dir, e.toString());
            }
        }
    }

    /**
     * Forces appended records and the commit position to disk if anything changed; called periodically so the
     * last records before a quiet period do not wait for the next append to become durable.
     */
    public synchronized void sync() throws IOException {
        if (closed) {
            return;
        }
        if (unsynced) {
            writer.force(false);
            lastSync = System.nanoTime();
            unsynced = false;
        }
        writeCommit();
    }

    /** Moves the read cursor back to the commit: unacknowledged records will be read again. */
    public synchronized void rewind() {
        read = commit;
    }

    /** Number of messages appended and not yet committed. */
    public synchronized long pending() {
        return pending;
    }

    /** Number of undelivered messages dropped because the spool was full. */
    public synchronized long dropped() {
        return dropped;
    }

    /** Bytes currently on disk in segments. */
    public synchronized long sizeBytes() {
        return totalBytes;
    }

    private void writeCommit() throws IOException {
        if (!commitDirty) {
            return;
        }
        ByteBuffer b = ByteBuffer.allocate(24);
        b.putLong(commit.segment()).putLong(commit.offset()).putInt(commit.ordinal());
        crc.reset();
        crc.update(b.array(), 0, 20);
        b.putInt((int) crc.getValue());
        Path tmp = dir.resolve(COMMIT_FILE + ".tmp");
        Files.write(tmp, b.array());
        try {
            Files.move(tmp, dir.resolve(COMMIT_FILE), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, dir.resolve(COMMIT_FILE), StandardCopyOption.REPLACE_EXISTING);
        }
        commitDirty = false;
        lastCommitWrite = System.nanoTime();
    }

    private Cursor readCommit() throws IOException {
        Path file = dir.resolve(COMMIT_FILE);
        if (!Files.exists(file)) {
            return null;
        }
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length != 24) {
            LOG.warn("spool {}: commit file has {} bytes, expected 24; delivering from the first record", dir,
                    bytes.length);
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        CRC32 check = new CRC32();
        check.update(bytes, 0, 20);
        Cursor c = new Cursor(b.getLong(), b.getLong(), b.getInt());
        if ((int) check.getValue() != b.getInt()) {
            LOG.warn("spool {}: commit file is corrupt; delivering from the first record", dir);
            return null;
        }
        return c;
    }

    private Segment find(long index) {
        for (Segment s : segments) {
            if (s.index == index) {
                return s;
            }
        }
        return null;
    }

    private Segment after(long index) {
        for (Segment s : segments) {
            if (s.index > index) {
                return s;
            }
        }
        return null;
    }

    private Path segmentPath(long index) {
        return dir.resolve(String.format("%020d.seg", index));
    }

    private void closeReader() throws IOException {
        if (reader != null) {
            reader.close();
            reader = null;
            readerSegment = -1;
        }
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("spool " + dir + " is closed");
        }
    }

    /** Forces data and the commit position to disk and releases the files; wakes blocked readers. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        notifyAll();
        try {
            writer.force(true);
            writer.close();
            writeCommit();
        } finally {
            closeReader();
        }
    }
}
