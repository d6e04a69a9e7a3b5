package io.edgeloop.trainer.registry;

import java.util.Objects;

/**
 * The version a model was fine-tuned from, when it is a version of the same model.
 *
 * @param version    the parent's version
 * @param registered whether the registry holds it with the SHA-256 the card's base names; {@code false} when only
 *                   the card's {@code parent} note knows it (the parent was never registered or was removed)
 */
public record Parent(String version, boolean registered) {

    public Parent {
        Objects.requireNonNull(version, "version");
    }
}
