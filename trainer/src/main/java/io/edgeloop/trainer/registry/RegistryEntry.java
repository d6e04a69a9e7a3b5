package io.edgeloop.trainer.registry;

import java.nio.file.Path;

/** One {@code <name>/<version>/} folder of a registry: a {@link RegisteredVersion} or a {@link BrokenVersion}. */
public sealed interface RegistryEntry permits RegisteredVersion, BrokenVersion {

    /** The model name (the parent folder's name). */
    String name();

    /** The version (the folder's name). */
    String version();

    /** The version's folder. */
    Path folder();
}
