package io.edgeloop.trainer.registry;

import io.edgeloop.protocol.model.ModelCard;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A usable registered version.
 *
 * @param name         model name (the card's, equal to the folder's)
 * @param version      version (the card's, equal to the folder's)
 * @param folder       the version's folder
 * @param card         the model card from {@code model.onnx}
 * @param sha256       SHA-256 of {@code model.onnx}, what devices report in their status
 * @param accuracy     validation accuracy from {@code metrics.json}; empty when it has none (or no file)
 * @param parent       the version it was fine-tuned from; empty for a first generation
 * @param hardExamples labelled hard examples recorded in {@code hard-examples.csv} (0 when absent)
 */
public record RegisteredVersion(String name, String version, Path folder, ModelCard card, String sha256,
                                Optional<ValidationAccuracy> accuracy, Optional<Parent> parent, int hardExamples)
        implements RegistryEntry {

    public RegisteredVersion {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(folder, "folder");
        Objects.requireNonNull(card, "card");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(accuracy, "accuracy");
        Objects.requireNonNull(parent, "parent");
    }

    /** The same version with its parent resolved. */
    RegisteredVersion withParent(Optional<Parent> resolved) {
        return new RegisteredVersion(name, version, folder, card, sha256, accuracy, resolved, hardExamples);
    }
}
