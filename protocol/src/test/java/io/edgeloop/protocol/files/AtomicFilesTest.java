package io.edgeloop.protocol.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path dir;

    @Test
    void replaceWritesCreatesParentsAndLeavesNoTemporaryFile() throws IOException {
        Path target = dir.resolve("a/b/model.onnx");
        AtomicFiles.replace(target, bytes("first"));
        AtomicFiles.replace(target, out -> out.write(bytes("second, streamed")));
        assertArrayEquals(bytes("second, streamed"), Files.readAllBytes(target));
        assertEquals(List.of("model.onnx"), names(target.getParent()));
    }

    @Test
    void failedContentLeavesTheOldFileAndNoTemporaryFile() throws IOException {
        Path target = dir.resolve("checkpoint.bin");
        AtomicFiles.replace(target, bytes("good"));
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.replace(target, out -> {
            out.write(bytes("half of it"));
            throw new IOException("disk full");
        }));
        assertEquals("disk full", e.getMessage());
        assertArrayEquals(bytes("good"), Files.readAllBytes(target));
        assertEquals(List.of("checkpoint.bin"), names(dir));
    }

    @Test
    void createNeverOverwrites() throws IOException {
        Path target = dir.resolve("cat/0001.jpg");
        AtomicFiles.create(target, bytes("one"));
        assertThrows(FileAlreadyExistsException.class, () -> AtomicFiles.create(target, bytes("two")));
        assertArrayEquals(bytes("one"), Files.readAllBytes(target));
        assertEquals(List.of("0001.jpg"), names(target.getParent()));
    }

    /** Models and inbox files are read by other accounts: not createTempFile's owner-only permissions. */
    @Test
    void filesGetOrdinaryPermissions() throws IOException {
        Path target = dir.resolve("model.onnx");
        AtomicFiles.replace(target, bytes("x"));
        var permissions = Files.getPosixFilePermissions(target);
        assertTrue(permissions.contains(PosixFilePermission.OWNER_READ), permissions.toString());
        Path probe = Files.createFile(dir.resolve("probe")); // what the umask gives an ordinary new file
        assertEquals(Files.getPosixFilePermissions(probe), permissions);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> names(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
