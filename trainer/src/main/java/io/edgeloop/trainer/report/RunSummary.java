package io.edgeloop.trainer.report;

import io.edgeloop.protocol.preprocess.PreprocessSpec;
import io.edgeloop.trainer.train.FitResult;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * What a report describes: the fit result plus where it came from and what it produced.
 *
 * @param result        the run
 * @param baseModel     the pretrained model it started from
 * @param dataDir       the training ImageFolder
 * @param preprocessing preprocessing used for training and evaluation
 * @param modelFile     the exported model package, when one was written
 */
public record RunSummary(FitResult result, Path baseModel, Path dataDir, PreprocessSpec preprocessing,
                         Optional<Path> modelFile) {

    public RunSummary {
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(baseModel, "baseModel");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(preprocessing, "preprocessing");
        Objects.requireNonNull(modelFile, "modelFile");
    }
}
