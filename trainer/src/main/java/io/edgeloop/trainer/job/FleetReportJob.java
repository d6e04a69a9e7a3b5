package io.edgeloop.trainer.job;

import io.edgeloop.protocol.model.ModelCard;
import io.edgeloop.protocol.model.ModelPackage;
import io.edgeloop.protocol.model.ModelPackageException;
import io.edgeloop.protocol.mqtt.ModelRef;
import io.edgeloop.trainer.fleet.DriftAnalysis;
import io.edgeloop.trainer.fleet.TelemetryLog;
import io.edgeloop.trainer.fleet.TelemetryReader;
import io.edgeloop.trainer.fleet.TrainingDistribution;
import io.edgeloop.trainer.registry.ModelRegistry;
import io.edgeloop.trainer.registry.RegisteredVersion;
import io.edgeloop.trainer.registry.RegistryEntry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code trainer fleet report}: reads the telemetry a collector recorded and compares each camera, window by window,
 * with the training distribution of its model: the one model file given (telemetry of other models is left out and
 * counted), or the registered version each camera ran.
 */
public final class FleetReportJob {

    /**
     * Runs the request.
     *
     * @throws IllegalArgumentException for a missing telemetry folder, model, registry name or training
     *                                  distribution (naming what is wrong and what is allowed)
     * @throws ModelPackageException    if the model file is not a model package
     * @throws IOException              if a file cannot be read
     */
    public FleetReport run(FleetReportRequest request) throws IOException, ModelPackageException {
        List<String> notes = new ArrayList<>();
        String description;
        Function<ModelRef, Optional<TrainingDistribution>> references;
        if (request.model().isPresent()) {
            Path model = request.model().get();
            ModelCard card = ModelPackage.read(model).card();
            ModelRef ref = ModelRef.of(card.name(), card.version());
            TrainingDistribution d = TrainingDistribution.read(model.resolveSibling(ModelRegistry.METRICS), ref,
                    card.temperature());
            note(d, notes);
            description = card.name() + " " + card.version() + " (" + summary(d) + ")";
            references = r -> r.equals(ref) ? Optional.of(d) : Optional.empty();
        } else {
            ModelRegistry registry = new ModelRegistry(request.registry().get());
            String name = request.name().get();
            List<String> names = registry.entries().stream().map(RegistryEntry::name).distinct().toList();
            if (!names.contains(name)) {
                throw new IllegalArgumentException("no model named " + name + " in " + registry.root() + ", allowed "
                        + (names.isEmpty() ? "none (the registry is empty)" : "one of " + names));
            }
            description = "the registered versions of " + name + " in " + registry.root();
            references = new RegistryReferences(registry, name, notes);
        }
        Path telemetry = request.dir().resolve(TelemetryLog.FOLDER);
        TelemetryReader.Result read = TelemetryReader.read(telemetry);
        DriftAnalysis.Result analysis = new DriftAnalysis(references, request.window(), request.thresholds(),
                request.baseline()).analyse(read.lines(), request.since().orElse(Instant.MIN));
        return new FleetReport(telemetry, description, request.since(), request.window(), analysis, read.skipped(),
                read.reasons(), notes);
    }

    private static String summary(TrainingDistribution d) {
        long train = d.trainCounts().stream().mapToLong(Long::longValue).sum();
        return train + " training images, " + d.validationImages() + " validation";
    }

    private static void note(TrainingDistribution d, List<String> notes) {
        String model = d.model().name() + " " + d.model().version();
        if (!d.hasConfidence()) {
            notes.add(model + " had no validation images: confidence is not compared");
        } else if (d.binsAtOtherTemperature()) {
            notes.add(String.format(Locale.ROOT, "%s: devices scale scores by temperature %.3g, the validation"
                    + " histogram (an older run's) is at %.3g; confidence comparisons are approximate", model,
                    d.temperature(), d.binsTemperature()));
        }
    }

    /** The training distribution of each registered version of one name, read once. */
    private static final class RegistryReferences implements Function<ModelRef, Optional<TrainingDistribution>> {
        private final ModelRegistry registry;
        private final String name;
        private final List<String> notes;
        private final Map<ModelRef, Optional<TrainingDistribution>> read = new HashMap<>();

        RegistryReferences(ModelRegistry registry, String name, List<String> notes) {
            this.registry = registry;
            this.name = name;
            this.notes = notes;
        }

        @Override
        public Optional<TrainingDistribution> apply(ModelRef ref) {
            if (!ref.name().equals(name)) {
                return Optional.empty();
            }
            return read.computeIfAbsent(ref, r -> {
                try {
                    RegisteredVersion v = registry.find(name, r.version());
                    TrainingDistribution d = TrainingDistribution.read(v.folder().resolve(ModelRegistry.METRICS), r,
                            v.card().temperature());
                    note(d, notes);
                    return Optional.of(d);
                } catch (IllegalArgumentException | IOException e) {
                    notes.add(name + " " + r.version() + " left out: " + e.getMessage());
                    return Optional.empty();
                }
            });
        }
    }
}
