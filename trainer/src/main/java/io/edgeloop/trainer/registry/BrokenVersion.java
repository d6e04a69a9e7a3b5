package io.edgeloop.trainer.registry;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A version folder that cannot be used: no {@code model.onnx}, an unreadable card, or a card that names another
 * model. Listed with the reason rather than failing the whole listing.
 *
 * @param name    the folder's model name
 * @param version the folder's version
 * @param folder  the folder
 * @param reason  what is wrong, for people
 */
public record BrokenVersion(String name, String version, Path folder, String reason) implements RegistryEntry {

    public BrokenVersion {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(folder, "folder");
        Objects.requireNonNull(reason, "reason");
    }
}
