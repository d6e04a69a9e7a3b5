package io.edgeloop.trainer.job;

import io.edgeloop.protocol.check.Checks;
import io.edgeloop.protocol.mqtt.DeviceStatus;
import io.edgeloop.trainer.registry.Deployments;
import io.edgeloop.trainer.registry.ModelRegistry;
import io.edgeloop.trainer.registry.RegisteredVersion;
import io.edgeloop.trainer.registry.RegistryEntry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The model registry's use cases: register a finished fine-tune, list the versions, show one with its lineage, each
 * optionally with the devices that run it (from their retained status).
 */
public final class RegistryJob {

    private final ModelRegistry registry;

    public RegistryJob(Path registry) {
        this.registry = new ModelRegistry(registry);
    }

    /** The model name to continue when {@code base} is a version in this registry; empty otherwise. */
    public Optional<String> nameOfRegisteredBase(Path base) {
        return registry.nameOf(base);
    }

    /**
     * Fails before training when the run would be refused by the registry: its version is already registered. The
     * name is the request's or the default {@link FineTuneJob} would choose; a version left to the clock is new.
     */
    public void checkBeforeFit(FineTuneRequest request) {
        String name = request.name().orElseGet(() -> ModelNames.defaultName(request.base(), request.data()));
        request.version().ifPresent(v -> registry.requireFree(name, v));
    }

    /**
     * Copies a finished run into the registry.
     *
     * @throws IllegalArgumentException if the run has no model package or its version is registered already
     */
    public RegisteredVersion register(FineTuneResult result, Path data) throws IOException {
        Path model = result.model().orElseThrow(() -> new IllegalArgumentException("cannot register: the run has"
                + " no model package (no exporter wired in)"));
        return registry.add(new ModelRegistry.Run(model, result.report(), result.metrics(), data));
    }

    /**
     * Copies a finished run folder ({@code trainer fit --out DIR}) into the registry; {@code data} is the training
     * tree it was fitted on, scanned for the labelled hard examples.
     *
     * @throws IllegalArgumentException if a file of the run is missing, {@code data} is no folder or the version is
     *                                  registered already
     */
    public RegisteredVersion add(Path runDir, Path data) throws IOException {
        Checks.directory("RUN_DIR", runDir);
        Checks.directory("--data", data);
        return registry.add(new ModelRegistry.Run(runDir.resolve(ModelRegistry.MODEL),
                runDir.resolve(ModelRegistry.REPORT), runDir.resolve(ModelRegistry.METRICS), data));
    }

    /** Every version, with where they run when {@code status} is given. */
    public ModelsListing list(Optional<StatusSource> status) throws IOException, InterruptedException {
        List<RegistryEntry> entries = registry.entries();
        return new ModelsListing(registry.root(), entries, deployments(status, entries), status.isPresent());
    }

    /**
     * One version with its lineage (itself first, then its parent and so on) and where the versions run.
     *
     * @throws IllegalArgumentException for an unknown name or version (listing what exists) or a broken version
     * @throws JobFailure               when the broker cannot be reached
     */
    public ModelDetails show(String name, String version, Optional<StatusSource> status) throws IOException,
            InterruptedException {
        RegisteredVersion found = registry.find(name, version);
        return new ModelDetails(found, registry.lineage(found), deployments(status, registry.entries()),
                status.isPresent());
    }

    private static Deployments deployments(Optional<StatusSource> status, List<RegistryEntry> entries)
            throws InterruptedException {
        if (status.isEmpty()) {
            return Deployments.NONE;
        }
        Map<String, DeviceStatus> devices = status.get().read();
        return Deployments.match(devices.values(), entries);
    }
}
