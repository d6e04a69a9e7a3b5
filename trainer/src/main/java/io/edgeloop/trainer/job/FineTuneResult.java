package io.edgeloop.trainer.job;

import io.edgeloop.protocol.preprocess.PreprocessSpec;
import io.edgeloop.trainer.calibrate.Calibration;
import io.edgeloop.trainer.train.FitResult;
import io.edgeloop.trainer.warning.RunWarning;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link FineTuneJob} made.
 *
 * @param fit           the training run: strategy, history, best epoch, final validation
 * @param report        {@code report.html} in the run folder
 * @param metrics       {@code metrics.json} in the run folder
 * @param model         the model package, when an exporter is wired in
 * @param name          the model's name in its card
 * @param version       the model's version in its card
 * @param preprocessing what the model was trained with (and what its card says)
 * @param warnings      what makes the result hard to trust (random base, domain mismatch, small validation set)
 * @param head          where the old head was cut and what the new head is, for an imported ONNX network
 * @param calibration   temperature, ECE before/after and thresholds from the validation images; empty without them
 */
public record FineTuneResult(FitResult fit, Path report, Path metrics, Optional<Path> model, String name,
                             String version, PreprocessSpec preprocessing, List<RunWarning> warnings,
                             Optional<String> head, Optional<Calibration> calibration) {

    public FineTuneResult {
        Objects.requireNonNull(fit, "fit");
        Objects.requireNonNull(report, "report");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(preprocessing, "preprocessing");
        warnings = List.copyOf(warnings);
        Objects.requireNonNull(head, "head");
        Objects.requireNonNull(calibration, "calibration");
    }
}
