package io.edgeloop.trainer.loop;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Keeps two retraining rounds of one work folder from overlapping (a timer that fires while last week's round is
 * still training, a person running one by hand): an exclusive OS file lock on {@code <work>/.retrain.lock}, released
 * when the round ends or its process dies.
 */
public final class RoundLock implements AutoCloseable {

    /** The lock file in the work folder. */
    public static final String FILE = ".retrain.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private RoundLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock, or empty when another round holds it. */
    public static Optional<RoundLock> tryAcquire(Path work) throws IOException {
        Files.createDirectories(work);
        FileChannel channel = FileChannel.open(work.resolve(FILE), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        try {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                return Optional.empty();
            }
            return Optional.of(new RoundLock(channel, lock));
        } catch (OverlappingFileLockException e) {
            channel.close();
            return Optional.empty();
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
