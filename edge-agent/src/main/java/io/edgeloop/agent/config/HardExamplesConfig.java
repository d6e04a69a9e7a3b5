package io.edgeloop.agent.config;

/**
 * Which frames are published as hard examples (with the image) for labelling and retraining.
 *
 * @param enabled           whether to select hard examples (default false)
 * @param maxConfidence     a frame is hard when its top-1 probability is below this (0..1, default 0.6)
 * @param minMargin         ... or when top-1 minus top-2 is below this (0..1, default 0.1)
 * @param perMinute         at most this many per camera per minute (0..10000, default 2)
 * @param perHour           ... per hour (0..100000, default 30)
 * @param perDay            ... per day (0..1000000, default 200)
 * @param duplicateDistance frames whose 64-bit difference hash is within this Hamming distance of a recent hard
 *                          example are skipped (0..64, default 6)
 * @param jpegQuality       JPEG quality of the published image (1..100, default 85)
 * @param maxSide           the published image is scaled down to at most this side (32..4096, default 640)
 */
public record HardExamplesConfig(Boolean enabled, Double maxConfidence, Double minMargin, Integer perMinute,
        Integer perHour, Integer perDay, Integer duplicateDistance, Integer jpegQuality, Integer maxSide) {

    public static final HardExamplesConfig DEFAULT =
            new HardExamplesConfig(null, null, null, null, null, null, null, null, null);

    public HardExamplesConfig {
        enabled = enabled != null && enabled;
        maxConfidence = ConfigValues.doubleRange("maxConfidence", maxConfidence, 0.6, 0, 1);
        minMargin = ConfigValues.doubleRange("minMargin", minMargin, 0.1, 0, 1);
        perMinute = ConfigValues.intRange("perMinute", perMinute, 2, 0, 10_000);
        perHour = ConfigValues.intRange("perHour", perHour, 30, 0, 100_000);
        perDay = ConfigValues.intRange("perDay", perDay, 200, 0, 1_000_000);
        duplicateDistance = ConfigValues.intRange("duplicateDistance", duplicateDistance, 6, 0, 64);
        jpegQuality = ConfigValues.intRange("jpegQuality", jpegQuality, 85, 1, 100);
        maxSide = ConfigValues.intRange("maxSide", maxSide, 640, 32, 4096);
    }
}
