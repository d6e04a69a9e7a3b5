package io.edgeloop.trainer.job;

import ai.onnx.proto.OnnxMl;
import io.edgeloop.protocol.model.ModelCard;
import io.edgeloop.protocol.model.ModelPackage;
import io.edgeloop.protocol.model.ModelPackageException;
import io.edgeloop.protocol.preprocess.PreprocessSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * The preprocessing a base model expects: its model card's when it has one (resized to the network's input size);
 * for a plain ONNX base the preprocessing declared with {@code --pixel-scale/--mean/--std/--channel-order/--resize/
 * --crop}, else torchvision's ImageNet transform (shorter side to 256/224 of the crop, ImageNet mean/std), which is
 * what torchvision, timm and most zoo classifiers were trained with. A model package's card is never overridden:
 * declaring preprocessing for one is refused, since its weights were trained with what the card says.
 */
public final class BasePreprocessing {

    /** The options that declare preprocessing, for messages. */
    public static final String OPTIONS = "--pixel-scale/--mean/--std/--channel-order/--resize/--crop";

    private BasePreprocessing() {
    }

    static PreprocessSpec of(Path base, int imageSize, Optional<DeclaredPreprocessing> declared)
            throws IOException, ModelPackageException {
        if (hasCard(base)) {
            if (declared.isPresent()) {
                throw new IllegalArgumentException("--base " + base + " is a model package whose card fixes its"
                        + " preprocessing; " + OPTIONS + " are for plain ONNX bases only, drop them");
            }
            PreprocessSpec spec = ModelPackage.read(base).card().preprocessing();
            return spec.cropSize() == imageSize ? spec : spec.withCropSize(imageSize);
        }
        return of(imageSize, declared);
    }

    /** The declared preprocessing for a plain model of this input side, or torchvision's ImageNet transform. */
    public static PreprocessSpec of(int imageSize, Optional<DeclaredPreprocessing> declared) {
        if (declared.isPresent()) {
            return declared.get().resolve(imageSize);
        }
        PreprocessSpec spec = PreprocessSpec.IMAGENET_224;
        return spec.cropSize() == imageSize ? spec : spec.withCropSize(imageSize);
    }

    /**
     * The notice a user sees when a plain ONNX base is used without declared preprocessing: what is assumed and
     * how to change it. Empty for a model package or when preprocessing was declared.
     */
    public static Optional<String> notice(Path base, Optional<DeclaredPreprocessing> declared) throws IOException {
        if (declared.isPresent() || hasCard(base)) {
            return Optional.empty();
        }
        return Optional.of("notice: " + base + " has no model card; assuming torchvision ImageNet preprocessing ("
                + describe(PreprocessSpec.IMAGENET_224) + ")\nnotice: set " + OPTIONS
                + " if it was trained otherwise");
    }

    /** One line a user can check against how the base was trained. */
    public static String describe(PreprocessSpec spec) {
        String scale = spec.valueScale() == 1.0 / 255.0 ? "0-1 scale" : spec.valueScale() == 1.0 ? "0-255 scale"
                : String.format(Locale.ROOT, "scale %s", spec.valueScale());
        return String.format(Locale.ROOT, "%s, %s, mean %s, std %s, resize %d crop %d", spec.colourOrder(), scale,
                spec.mean(), spec.std(), spec.resizeSize(), spec.cropSize());
    }

    /** Whether the file carries a model card (is a model package). */
    public static boolean hasCard(Path base) throws IOException {
        OnnxMl.ModelProto model;
        try (InputStream in = Files.newInputStream(base)) {
            model = OnnxMl.ModelProto.parseFrom(in);
        }
        return model.getMetadataPropsList().stream().anyMatch(p -> p.getKey().equals(ModelCard.METADATA_KEY));
    }
}
