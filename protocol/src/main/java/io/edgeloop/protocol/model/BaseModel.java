package io.edgeloop.protocol.model;

/**
 * The pretrained model a package was fine-tuned from, identified by name and the SHA-256 of its ONNX file, so a
 * result can be traced back to exact weights.
 *
 * @param name   model name, for example {@code mobilenet_v2}
 * @param sha256 SHA-256 of the base ONNX file, 64 lowercase hex digits
 */
public record BaseModel(String name, String sha256) {

    public BaseModel {
        Names.requireText("baseModel.name", name, 256);
        Names.requireSha256("baseModel.sha256", sha256);
    }
}
