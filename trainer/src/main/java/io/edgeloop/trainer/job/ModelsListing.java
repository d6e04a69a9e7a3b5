package io.edgeloop.trainer.job;

import io.edgeloop.trainer.registry.Deployments;
import io.edgeloop.trainer.registry.RegistryEntry;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A registry's versions and, when a broker was asked, which devices run them.
 *
 * @param registry    the registry folder
 * @param entries     every version folder, usable or broken
 * @param deployments devices per version; {@link Deployments#NONE} without a broker
 * @param statusRead  whether the devices' status was read
 */
public record ModelsListing(Path registry, List<RegistryEntry> entries, Deployments deployments,
                            boolean statusRead) {

    public ModelsListing {
        Objects.requireNonNull(registry, "registry");
        entries = List.copyOf(entries);
        Objects.requireNonNull(deployments, "deployments");
    }
}
