package io.edgeloop.agent.config;


/**
 * Which frames are published as hard examples (with the image) for labelling and retraining: the selectors that pick
 * them, the budget they share, near-duplicate suppression and the image sent. A camera's own
 * {@code cameras[].hardExamples} block is applied on top ({@link #forCamera}).
 *
 * @param enabled           whether to select hard examples (default false)
 * @param maxConfidence     shorthand without {@code selectors}: the low-confidence selector's threshold (0..1,
 *                          default 0.6); null when {@code selectors} is given
 * @param minMargin         shorthand without {@code selectors}: the margin selector's threshold (0..1, default 0.1);
 *                          null when {@code selectors} is given
 * @param perMinute         at most this many per camera per minute, all selectors together (0..10000, default 2)
 * @param perHour           ... per hour (0..100000, default 30)
 * @param perDay            ... per day (0..1000000, default 200)
 * @param duplicateDistance frames whose 64-bit difference hash is within this Hamming distance of a recent hard
 *                          example are skipped (0..64, default 6)
 * @param jpegQuality       JPEG quality of the published image (1..100, default 85)
 * @param maxSide           the published image is scaled down to at most this side (32..4096, default 640)
 * @param selectors         the selectors; absent means low-confidence ({@code maxConfidence}) and margin
 *                          ({@code minMargin}), the behaviour before selectors existed
 */
public record HardExamplesConfig(Boolean enabled, Double maxConfidence, Double minMargin, Integer perMinute,
        Integer perHour, Integer perDay, Integer duplicateDistance, Integer jpegQuality, Integer maxSide,
        HardExampleSelectors selectors) {

    public static final HardExamplesConfig DEFAULT =
            new HardExamplesConfig(null, null, null, null, null, null, null, null, null, null);

    public HardExamplesConfig {
        enabled = enabled != null && enabled;
        if (selectors == null) {
            maxConfidence = ConfigValues.doubleRange("maxConfidence", maxConfidence, 0.6, 0, 1);
            minMargin = ConfigValues.doubleRange("minMargin", minMargin, 0.1, 0, 1);
            selectors = HardExampleSelectors.legacy(maxConfidence, minMargin);
        } else if (maxConfidence != null || minMargin != null) {
            String key = maxConfidence != null ? "maxConfidence" : "minMargin";
            String selector = maxConfidence != null ? "lowConfidence" : "margin";
            throw new IllegalArgumentException(key + " is " + (maxConfidence != null ? maxConfidence : minMargin)
                    + " beside selectors, allowed only without selectors (with selectors, set selectors." + selector
                    + "." + key + ")");
        }
        perMinute = ConfigValues.intRange("perMinute", perMinute, 2, 0, 10_000);
        perHour = ConfigValues.intRange("perHour", perHour, 30, 0, 100_000);
        perDay = ConfigValues.intRange("perDay", perDay, 200, 0, 1_000_000);
        duplicateDistance = ConfigValues.intRange("duplicateDistance", duplicateDistance, 6, 0, 64);
        jpegQuality = ConfigValues.intRange("jpegQuality", jpegQuality, 85, 1, 100);
        maxSide = ConfigValues.intRange("maxSide", maxSide, 640, 32, 4096);
    }

    /**
     * The settings for a camera with its own block: each key the camera sets replaces the global value, and each
     * selector it names replaces the global selector of that name whole (the others are kept).
     *
     * @param camera the camera's block, or null (the global settings as they are)
     */
    public HardExamplesConfig forCamera(CameraHardExamples camera) {
        if (camera == null) {
            return this;
        }
        return new HardExamplesConfig(pick(camera.enabled(), enabled), null, null, pick(camera.perMinute(), perMinute),
                pick(camera.perHour(), perHour), pick(camera.perDay(), perDay),
                pick(camera.duplicateDistance(), duplicateDistance), pick(camera.jpegQuality(), jpegQuality),
                pick(camera.maxSide(), maxSide), selectors.overriddenBy(camera.selectors()));
    }

    private static <T> T pick(T preferred, T fallback) {
        return preferred != null ? preferred : fallback;
    }
}
