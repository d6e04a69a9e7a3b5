package io.edgeloop.trainer.job;

import io.edgeloop.trainer.registry.Deployments;
import io.edgeloop.trainer.registry.RegisteredVersion;
import java.util.List;
import java.util.Objects;

/**
 * One registered version for {@code trainer models show}.
 *
 * @param version     the version
 * @param lineage     the version, then its parent, grandparent… as far as the registry holds them
 * @param deployments devices per version; {@link Deployments#NONE} without a broker
 * @param statusRead  whether the devices' status was read
 */
public record ModelDetails(RegisteredVersion version, List<RegisteredVersion> lineage, Deployments deployments,
                           boolean statusRead) {

    public ModelDetails {
        Objects.requireNonNull(version, "version");
        lineage = List.copyOf(lineage);
        Objects.requireNonNull(deployments, "deployments");
    }
}
