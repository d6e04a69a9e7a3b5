package io.edgeloop.trainer.base;

/**
 * A published model's image input as its documentation gives it.
 *
 * @param name   graph input name (the pulled package's card uses the graph's own name; a differing one is reported)
 * @param layout {@link InputLayout#NCHW} or {@link InputLayout#NHWC}
 * @param size   square input side in pixels, 1..4096
 */
public record BaseInput(String name, InputLayout layout, int size) {

    public BaseInput {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("input.name is " + (name == null ? "missing" : "\"" + name + "\"")
                    + ", allowed the graph input's name");
        }
        if (layout == null) {
            throw new IllegalArgumentException("input.layout is missing, allowed one of [NCHW, NHWC]");
        }
        if (size < 1 || size > 4096) {
            throw new IllegalArgumentException("input.size is " + size + ", allowed 1..4096");
        }
    }
}
