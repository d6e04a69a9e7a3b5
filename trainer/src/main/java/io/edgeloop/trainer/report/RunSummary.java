package io.edgeloop.trainer.report;

import io.edgeloop.protocol.preprocess.PreprocessSpec;
import io.edgeloop.trainer.calibrate.Calibration;
import io.edgeloop.trainer.train.FitResult;
import io.edgeloop.trainer.warning.RunWarning;
import java.nio.file.Path;
import java.util.List;
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
 * @param warnings      what makes the result hard to trust, in the order found
 * @param calibration   temperature, reliability and thresholds from the validation images; empty without them
 */
public record RunSummary(FitResult result, Path baseModel, Path dataDir, PreprocessSpec preprocessing,
                         Optional<Path> modelFile, List<RunWarning> warnings, Optional<Calibration> calibration) {

    public RunSummary {
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(baseModel, "baseModel");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(preprocessing, "preprocessing");
        Objects.requireNonNull(modelFile, "modelFile");
        warnings = List.copyOf(warnings);
        Objects.requireNonNull(calibration, "calibration");
    }

    /** A summary without calibration. */
    public RunSummary(FitResult result, Path baseModel, Path dataDir, PreprocessSpec preprocessing,
                      Optional<Path> modelFile, List<RunWarning> warnings) {
        this(result, baseModel, dataDir, preprocessing, modelFile, warnings, Optional.empty());
    }

    /** A summary without warnings. */
    public RunSummary(FitResult result, Path baseModel, Path dataDir, PreprocessSpec preprocessing,
                      Optional<Path> modelFile) {
        this(result, baseModel, dataDir, preprocessing, modelFile, List.of());
    }
}
