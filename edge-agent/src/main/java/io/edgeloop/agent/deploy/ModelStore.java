package io.edgeloop.agent.deploy;

import io.edgeloop.protocol.digest.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Deployed model files under the state directory: {@code models/<name>/<version>/model.onnx}, written atomically.
 * Bytes are staged in {@code models/.incoming/} and get their version directory only once their package reads
 * as valid; versions are never overwritten with other bytes, so the previous model stays intact for rollback.
 */
public final class ModelStore {

    private final Path stateDir;

    public ModelStore(Path stateDir) {
        this.stateDir = stateDir;
    }

    /** Deletes files a deploy interrupted by a crash left in {@code models/.incoming/}. */
    static void clearIncoming(Path stateDir) throws IOException {
        Path dir = stateDir.resolve("models").resolve(".incoming");
        if (Files.isDirectory(dir)) {
            try (var files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    /** The file of a model version, relative to the state directory. */
    public static Path relative(String name, String version) {
        return Path.of("models", name, version, "model.onnx");
    }

    /**
     * Writes verified bytes to {@code models/.incoming/} (atomically), to be read and checked before they get a
     * version directory.
     */
    public Path stage(byte[] bytes, String sha256) throws IOException {
        Path dir = stateDir.resolve("models").resolve(".incoming").toAbsolutePath();
        Files.createDirectories(dir);
        Path file = dir.resolve(sha256 + ".onnx");
        ActiveModel.writeAtomically(file, bytes);
        return file;
    }

    /**
     * Moves a staged file to {@code models/<name>/<version>/model.onnx}.
     *
     * @return the file, absolute
     * @throws DeployRejectedException if that version is already stored with other bytes
     */
    public Path commit(Path staged, String name, String version, String sha256) throws IOException,
            DeployRejectedException {
        Path rel = relative(name, version);
        Path file = stateDir.resolve(rel).toAbsolutePath();
        if (Files.isRegularFile(file)) {
            String existing = Sha256.hex(Files.readAllBytes(file));
            Files.deleteIfExists(staged);
            if (existing.equals(sha256)) {
                return file;
            }
            throw new DeployRejectedException(rel + " already holds another model (sha256 " + existing
                    + "); a version is never overwritten, deploy under a new version");
        }
        Files.createDirectories(file.getParent());
        try {
            Files.move(staged, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (java.nio.file.AtomicMoveNotSupportedException e) {
            Files.move(staged, file);
        }
        return file;
    }
}
