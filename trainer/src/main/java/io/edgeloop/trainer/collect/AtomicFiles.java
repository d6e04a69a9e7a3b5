package io.edgeloop.trainer.collect;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes files so a reader (or a crash) never sees half of one: the bytes go to a hidden temporary file in the same
 * directory, are forced to disk, then take the target's name in one step; the directory entry is forced too, so a
 * file that was written stays written after a power cut. Used for inbox examples (acknowledged = on disk) and for
 * exported training images (never overwritten).
 */
public final class AtomicFiles {

    private AtomicFiles() {
    }

    /** Writes {@code bytes} to {@code target}, replacing an existing file. Creates parent directories. */
    public static void replace(Path target, byte[] bytes) throws IOException {
        Path temp = writeTemp(target, bytes);
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
        Path temp = writeTemp(target, bytes);
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

    private static Path writeTemp(Path target, byte[] bytes) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(temp);
            throw e;
        }
        // createTempFile makes the file owner-only; inbox and dataset files get ordinary permissions.
        try {
            Files.setPosixFilePermissions(temp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: keep the default
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
