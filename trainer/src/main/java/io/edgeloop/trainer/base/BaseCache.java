package io.edgeloop.trainer.base;

import io.edgeloop.protocol.digest.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The local store of verified base downloads: one flat directory, {@code ~/.edgeloop/bases/} unless
 * {@value #ENV} or an explicit directory says otherwise. A base lives at {@code <dir>/<name>-<first 12 hex digits
 * of its SHA-256>.onnx}, so the directory can be copied to an offline machine as it is and two catalogues that reuse
 * a name for different bytes never collide. Beside it: {@code .part} (an interrupted download, resumed next time)
 * and {@code .rejected} (the last download whose hash or size was wrong, kept for inspection).
 *
 * @param dir the cache directory (need not exist yet)
 */
public record BaseCache(Path dir) {

    /** Environment variable that moves the cache. */
    public static final String ENV = "EDGELOOP_BASE_CACHE";

    public BaseCache {
        if (dir == null) {
            throw new IllegalArgumentException("cache directory is missing");
        }
    }

    /** The cache directory: {@code explicit} if given, else {@value #ENV} if set, else {@code ~/.edgeloop/bases}. */
    public static BaseCache locate(Optional<Path> explicit, Map<String, String> environment, Path home) {
        if (explicit.isPresent()) {
            return new BaseCache(explicit.get());
        }
        String fromEnv = environment.get(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return new BaseCache(Path.of(fromEnv));
        }
        return new BaseCache(home.resolve(".edgeloop").resolve("bases"));
    }

    /** Where the verified file of {@code entry} lives. */
    public Path file(BaseEntry entry) {
        return dir.resolve(entry.name() + "-" + entry.sha256().substring(0, 12) + ".onnx");
    }

    /** Where an interrupted download of {@code entry} is kept for resuming. */
    public Path partial(BaseEntry entry) {
        return sibling(file(entry), ".part");
    }

    /** Where a download of {@code entry} with the wrong hash or size is moved. */
    public Path rejected(BaseEntry entry) {
        return sibling(file(entry), ".rejected");
    }

    /**
     * Whether the cache holds {@code entry} with the right size and SHA-256. A file that does not match is left
     * alone here; the next download replaces it.
     */
    public boolean holds(BaseEntry entry) throws IOException {
        Path file = file(entry);
        return Files.isRegularFile(file) && Files.size(file) == entry.sizeBytes()
                && Sha256.hex(file).equals(entry.sha256());
    }

    /** Whether a file for {@code entry} is present (size checked, hash not: cheap enough for a listing). */
    public boolean looksPresent(BaseEntry entry) throws IOException {
        Path file = file(entry);
        return Files.isRegularFile(file) && Files.size(file) == entry.sizeBytes();
    }

    private static Path sibling(Path file, String suffix) {
        return file.resolveSibling(file.getFileName() + suffix);
    }
}
