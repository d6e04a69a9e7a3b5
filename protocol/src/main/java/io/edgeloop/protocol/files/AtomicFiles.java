package io.edgeloop.protocol.files;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes files so a reader (or a crash) never sees half of one: the bytes go to a hidden temporary file in the same
 * directory, are forced to disk, then take the target's name in one step; the directory entry is forced too, so a
 * file that was written stays written after a power cut. The file gets the process's ordinary permissions (umask),
 * not {@code createTempFile}'s owner-only ones: models, checkpoints and inbox images are read by other tools and
 * service accounts. Used for model packages, checkpoints, a device's active-model record, inbox examples and
 * exported training images.
 */
public final class AtomicFiles {

    private static final AtomicLong SEQUENCE = new AtomicLong();

    /** Writes a file's content to a stream (which it must not close). */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFiles() {
    }

    /** Writes {@code bytes} to {@code target}, replacing an existing file. Creates parent directories. */
    public static void replace(Path target, byte[] bytes) throws IOException {
        replace(target, out -> out.write(bytes));
    }

    /** Writes what {@code content} produces to {@code target}, replacing an existing file. Creates parents. */
    public static void replace(Path target, Content content) throws IOException {
        Path temp = writeTemp(target, content);
        try {
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            temp = null;
            forceDirectory(target.toAbsolutePath().getParent());
        } finally {
            deleteQuietly(temp);
        }
    }

    /**
     * Writes {@code bytes} to {@code target} only if no file has that name yet (checked atomically with a hard link
     * where the file system has them).
     *
     * @throws FileAlreadyExistsException if {@code target} exists; it is left untouched
     */
    public static void create(Path target, byte[] bytes) throws IOException {
        if (Files.exists(target)) {
            throw new FileAlreadyExistsException(target.toString());
        }
        Path temp = writeTemp(target, out -> out.write(bytes));
        try {
            try {
                Files.createLink(target, temp);
            } catch (UnsupportedOperationException e) {
                Files.move(temp, target);
                temp = null;
            }
            forceDirectory(target.toAbsolutePath().getParent());
        } finally {
            deleteQuietly(temp);
        }
    }

    private static Path writeTemp(Path target, Content content) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        Files.createDirectories(dir);
        Path temp = dir.resolve("." + absolute.getFileName() + "." + ProcessHandle.current().pid() + "."
                + SEQUENCE.incrementAndGet() + ".tmp");
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW)) {
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
            content.writeTo(out);
            out.flush();
            channel.force(true);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(temp);
            throw e;
        }
        return temp;
    }

    private static void forceDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some platforms cannot open a directory for syncing; the file itself was already forced.
        }
    }

    private static void deleteQuietly(Path temp) {
        if (temp != null) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                // a leftover hidden temp file is harmless and ignored by readers
            }
        }
    }
}
