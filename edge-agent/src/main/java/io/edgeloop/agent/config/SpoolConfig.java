package io.edgeloop.agent.config;

/**
 * The on-disk store-and-forward spool.
 *
 * @param dir          directory of the spool segments (default {@code spool} under the state directory)
 * @param maxBytes     size cap; beyond it the oldest segments are dropped (1 MiB..64 GiB, default 256 MiB)
 * @param segmentBytes size at which a segment is closed and a new one started (64 KiB..maxBytes, default 4 MiB)
 * @param syncMillis   how often appended records are forced to disk (0 = every append; default 1000)
 */
public record SpoolConfig(String dir, Long maxBytes, Long segmentBytes, Integer syncMillis) {

    public static final SpoolConfig DEFAULT = new SpoolConfig(null, null, null, null);

    public SpoolConfig {
        dir = ConfigValues.optional(dir);
        maxBytes = ConfigValues.longRange("maxBytes", maxBytes, 256L << 20, 1L << 20, 64L << 30);
        segmentBytes = ConfigValues.longRange("segmentBytes", segmentBytes, Math.min(4L << 20, maxBytes), 64L << 10,
                maxBytes);
        syncMillis = ConfigValues.intRange("syncMillis", syncMillis, 1000, 0, 60_000);
    }
}
