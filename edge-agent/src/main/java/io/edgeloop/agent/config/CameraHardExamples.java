package io.edgeloop.agent.config;


/**
 * A camera's own hard-example settings ({@code cameras[].hardExamples}), applied on top of the global
 * {@code hardExamples} block by {@link HardExamplesConfig#forCamera}: a key set here replaces the global value, a
 * selector named here replaces the global selector of that name whole, every other key and selector is the global
 * one. Ranges as in {@link HardExamplesConfig}. The thresholds of the global shorthand ({@code maxConfidence},
 * {@code minMargin}) are set per camera through {@code selectors.lowConfidence} and {@code selectors.margin}.
 *
 * @param enabled           whether this camera selects hard examples
 * @param perMinute         this camera's shared budget per minute
 * @param perHour           ... per hour
 * @param perDay            ... per day
 * @param duplicateDistance near-duplicate Hamming distance
 * @param jpegQuality       JPEG quality of the published image
 * @param maxSide           longest side of the published image
 * @param selectors         selectors added to or replacing the global ones
 */
public record CameraHardExamples(Boolean enabled, Integer perMinute, Integer perHour, Integer perDay,
        Integer duplicateDistance, Integer jpegQuality, Integer maxSide,
        HardExampleSelectors selectors) {

    public CameraHardExamples {
        HardExampleSelectors.checkLimits(perMinute, perHour, perDay);
        if (duplicateDistance != null) {
            ConfigValues.intRange("duplicateDistance", duplicateDistance, 0, 0, 64);
        }
        if (jpegQuality != null) {
            ConfigValues.intRange("jpegQuality", jpegQuality, 0, 1, 100);
        }
        if (maxSide != null) {
            ConfigValues.intRange("maxSide", maxSide, 0, 32, 4096);
        }
    }
}
