package io.edgeloop.trainer.base;

import java.nio.file.Path;

/**
 * A verified base file in the cache and how it got there.
 *
 * @param file        the cached file (size and SHA-256 verified)
 * @param fromCache   whether it was already cached (no request was made)
 * @param transferred bytes received over the network in this call
 * @param resumedFrom bytes of an earlier partial download that were kept (0 when started from the beginning)
 */
public record DownloadOutcome(Path file, boolean fromCache, long transferred, long resumedFrom) {
}
