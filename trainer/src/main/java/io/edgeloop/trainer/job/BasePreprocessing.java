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

/**
 * The preprocessing a base model expects: its model card's when it has one (resized to the network's input size),
 * otherwise torchvision's ImageNet transform (shorter side to 256/224 of the crop, ImageNet mean/std), which is
 * what torchvision, timm and most zoo classifiers were trained with.
 */
final class BasePreprocessing {

    private BasePreprocessing() {
    }

    static PreprocessSpec of(Path base, int imageSize) throws IOException, ModelPackageException {
        if (hasCard(base)) {
            PreprocessSpec spec = ModelPackage.read(base).card().preprocessing();
            return spec.cropSize() == imageSize ? spec : spec.withCropSize(imageSize);
        }
        return PreprocessSpec.IMAGENET_224.withCropSize(imageSize);
    }

    private static boolean hasCard(Path base) throws IOException {
        OnnxMl.ModelProto model;
        try (InputStream in = Files.newInputStream(base)) {
            model = OnnxMl.ModelProto.parseFrom(in);
        }
        return model.getMetadataPropsList().stream().anyMatch(p -> p.getKey().equals(ModelCard.METADATA_KEY));
    }
}
