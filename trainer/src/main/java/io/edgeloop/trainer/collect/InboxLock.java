package io.edgeloop.trainer.collect;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Mutual exclusion for an inbox's read-compare-write of a sidecar, across threads and processes: a {@code trainer
 * label set} in one process and a labelling web app in another must not interleave their check and write.
 *
 * <p>An OS file lock on {@code <inbox>/.lock} excludes other processes. The OS lock belongs to the whole JVM (a second
 * lock on the same file from the same JVM throws instead of waiting), so threads of one JVM first take a lock of
 * their own, one per inbox directory in the JVM: that map is the one process-wide state here, by necessity, because
 * the OS lock it guards is process-wide too.
 */
final class InboxLock {

    private static final ConcurrentMap<Path, ReentrantLock> IN_JVM = new ConcurrentHashMap<>();

    private final Path lockFile;
    private final ReentrantLock inJvm;

    InboxLock(Path inboxDir) throws IOException {
        Path real = inboxDir.toRealPath();
        this.lockFile = real.resolve(".lock");
        this.inJvm = IN_JVM.computeIfAbsent(real, p -> new ReentrantLock());
    }

    /** Work done while holding the lock. */
    interface Locked<T, E extends Exception> {
        T run() throws IOException, E;
    }

    /** Runs {@code work} holding the lock; the lock is released however it ends. */
    <T, E extends Exception> T with(Locked<T, E> work) throws IOException, E {
        inJvm.lock();
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = channel.lock()) {
            return work.run();
        } finally {
            inJvm.unlock();
        }
    }
}
