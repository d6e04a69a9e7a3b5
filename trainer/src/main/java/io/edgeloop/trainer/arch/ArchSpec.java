package io.edgeloop.trainer.arch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What {@code trainer init} builds: an architecture at a width multiplier, for square RGB input images of a size,
 * with a number of output classes, initialised from a seed. Validated on construction; the same spec always
 * yields the same graph, byte for byte.
 *
 * @param architecture which network
 * @param width channel multiplier, {@value #MIN_WIDTH} to {@value #MAX_WIDTH}; 1.0 is torchvision's network
 *     (MobileNetV2 rounds channels as torchvision's {@code width_mult} does, the others the same way)
 * @param imageSize input height and width in pixels, {@value #MIN_IMAGE_SIZE} to {@value #MAX_IMAGE_SIZE}
 * @param classes number of output classes, {@value #MIN_CLASSES} to {@value #MAX_CLASSES}
 * @param seed seed of the random initialisation
 */
public record ArchSpec(Architecture architecture, double width, int imageSize, int classes, long seed) {

    public static final double MIN_WIDTH = 0.1;
    public static final double MAX_WIDTH = 4.0;
    public static final int MIN_IMAGE_SIZE = 8;
    public static final int MAX_IMAGE_SIZE = 2048;
    public static final int MIN_CLASSES = 2;
    public static final int MAX_CLASSES = 100_000;

    public ArchSpec {
        Objects.requireNonNull(architecture, "architecture");
        if (!(width >= MIN_WIDTH && width <= MAX_WIDTH)) {
            throw new IllegalArgumentException("width " + width + " is invalid: allowed " + MIN_WIDTH + " to "
                    + MAX_WIDTH);
        }
        if (imageSize < MIN_IMAGE_SIZE || imageSize > MAX_IMAGE_SIZE) {
            throw new IllegalArgumentException("image size " + imageSize + " is invalid: allowed " + MIN_IMAGE_SIZE
                    + " to " + MAX_IMAGE_SIZE);
        }
        if (classes < MIN_CLASSES || classes > MAX_CLASSES) {
            throw new IllegalArgumentException("classes " + classes + " is invalid: allowed " + MIN_CLASSES + " to "
                    + MAX_CLASSES);
        }
    }

    /**
     * The spec as the JSON stored under the metadata key {@code edgeloop.arch}, e.g. {@code {"arch":"mobilenetv2",
     * "width":1.0,"imageSize":224,"classes":1000,"seed":42,"input":"input","output":"logits","opset":13}}.
     */
    public String toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("arch", architecture.cliName());
        json.put("width", width);
        json.put("imageSize", imageSize);
        json.put("classes", classes);
        json.put("seed", seed);
        json.put("input", ArchitectureOnnx.INPUT_NAME);
        json.put("output", ArchitectureOnnx.OUTPUT_NAME);
        json.put("opset", ArchitectureOnnx.OPSET);
        try {
            return new ObjectMapper().writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the spec as JSON: " + e.getMessage(), e);
        }
    }

    /** Reads {@link #toJson()}'s output back (unknown fields are ignored); errors name the missing field. */
    public static ArchSpec fromJson(String json) {
        try {
            Map<?, ?> map = new ObjectMapper().readValue(json, Map.class);
            return new ArchSpec(Architecture.parse(text(map, "arch")), number(map, "width").doubleValue(),
                    number(map, "imageSize").intValue(), number(map, "classes").intValue(),
                    number(map, "seed").longValue());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("edgeloop.arch is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String text(Map<?, ?> map, String key) {
        Object v = map.get(key);
        if (!(v instanceof String s)) {
            throw new IllegalArgumentException("edgeloop.arch field '" + key + "' is " + v + ": expected a string");
        }
        return s;
    }

    private static Number number(Map<?, ?> map, String key) {
        Object v = map.get(key);
        if (!(v instanceof Number n)) {
            throw new IllegalArgumentException("edgeloop.arch field '" + key + "' is " + v + ": expected a number");
        }
        return n;
    }
}
