package io.edgeloop.trainer.job;

import io.edgeloop.protocol.preprocess.PreprocessSpec;
import io.edgeloop.trainer.calibrate.Calibration;
import io.edgeloop.trainer.model.ClassifierNetwork;
import io.edgeloop.trainer.train.FitResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Writes the trained network as a model package (ONNX + model card) after {@code fit}; replaceable for tests and
 * other exporters.
 */
@FunctionalInterface
public interface ModelExporter {

    /**
     * Exports the network (holding the best weights) into {@code outDir}.
     *
     * @param base          the base model it was fine-tuned from
     * @param preprocessing the preprocessing it was trained with (goes into the model card)
     * @param name          model name for the card
     * @param version       model version for the card
     * @param calibration   the temperature and thresholds for the card; empty without validation images
     * @return the written model file
     */
    Path export(ClassifierNetwork network, Path base, PreprocessSpec preprocessing, FitResult result, String name,
                String version, Optional<Calibration> calibration, Path outDir) throws IOException;
}
