package io.edgeloop.trainer.job;

import io.edgeloop.protocol.model.ModelCard;
import io.edgeloop.protocol.model.ModelPackage;
import io.edgeloop.protocol.model.ModelPackageException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The lineage notes a fine-tuned model's card carries about its base, so that a version can be traced without the
 * registry: {@value #BASE_PATH} (the absolute path it was read from), {@value #BASE_PACKAGE} ({@code name version}
 * when the base is a model package) and {@value #PARENT} (the base's version when the base is a package of the same
 * model name, that is when this model is the next generation of it). The base's SHA-256 is in the card's
 * {@code baseModel} and the data fingerprint in {@code trainingData}.
 */
public final class BaseLineage {

    /** Card note: absolute path of the base ONNX file. */
    public static final String BASE_PATH = "base_path";
    /** Card note: {@code name version} of a base that is a model package. */
    public static final String BASE_PACKAGE = "base_package";
    /** Card note: version of the base when it is a package of the same model name. */
    public static final String PARENT = "parent";

    private BaseLineage() {
    }

    /** The notes for a model named {@code name} fine-tuned from {@code base}. */
    public static Map<String, String> notes(Path base, String name) throws IOException {
        Map<String, String> notes = new LinkedHashMap<>();
        notes.put(BASE_PATH, base.toAbsolutePath().normalize().toString());
        if (BasePreprocessing.hasCard(base)) {
            ModelCard card;
            try {
                card = ModelPackage.read(base).card();
            } catch (ModelPackageException e) {
                // training already read this base; a card that fails only now must not throw the trained run away
                notes.put(BASE_PACKAGE, "unreadable card: " + e.getMessage());
                return notes;
            }
            notes.put(BASE_PACKAGE, card.name() + " " + card.version());
            if (card.name().equals(name)) {
                notes.put(PARENT, card.version());
            }
        }
        return notes;
    }
}
