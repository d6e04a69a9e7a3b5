package io.edgeloop.trainer.job;

import io.edgeloop.trainer.fleet.ClassBaseline;
import io.edgeloop.trainer.fleet.DriftThresholds;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link FleetReportJob} compares: the telemetry a collector recorded, with the training distribution of one
 * model file or of a registered model's versions. Messages name the {@code trainer fleet report} options.
 *
 * @param dir        the collector's working directory (telemetry in {@code DIR/telemetry})
 * @param model      a model package whose {@code metrics.json} lies beside it; or empty, with registry and name
 * @param registry   a registry whose versions of {@code name} are the references (each camera's own version)
 * @param name       the registered model name
 * @param since      lines before this are left out; empty for all
 * @param window     window length
 * @param thresholds when a camera needs attention
 * @param baseline   what the class mix is compared with
 */
public record FleetReportRequest(Path dir, Optional<Path> model, Optional<Path> registry, Optional<String> name,
                                 Optional<Instant> since, Duration window, DriftThresholds thresholds,
                                 ClassBaseline baseline) {

    public FleetReportRequest {
        if (dir == null) {
            throw new IllegalArgumentException("--dir is missing, allowed the collector's working directory");
        }
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(thresholds, "thresholds");
        Objects.requireNonNull(baseline, "baseline");
        if (model.isPresent() == name.isPresent()) {
            throw new IllegalArgumentException(model.isPresent() ? "--model and --name are both given, allowed one"
                    + " of them (--model MODEL.onnx, or --name NAME with --registry)"
                    : "the reference is missing, allowed --model MODEL.onnx or --name NAME (with --registry)");
        }
        if (name.isPresent() && registry.isEmpty()) {
            throw new IllegalArgumentException("--name " + name.get() + " needs --registry DIR");
        }
    }
}
