package io.edgeloop.trainer.job;

import io.edgeloop.protocol.model.ModelCard;
import io.edgeloop.protocol.model.ModelPackage;
import io.edgeloop.protocol.model.ModelPackageException;
import io.edgeloop.trainer.onnx.OnnxGraph;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Set;

/**
 * Default names and versions of fine-tuned models. A model is named after what it recognises: its data folder
 * ({@code shelf-items/} → {@code shelf-items}); a folder named like a role rather than a task ({@code train},
 * {@code data}, {@code images}…) gives way to its parent, and without a usable folder name the base model's card
 * name (or file name) plus {@code -ft} is used. Versions default to the UTC time, {@code yyyyMMdd-HHmmss}.
 */
public final class ModelNames {

    /** Folder names that say what a folder is for, not what is in it. */
    private static final Set<String> ROLE_NAMES = Set.of("train", "training", "data", "dataset", "images", "img",
            "labelled", "labeled", "photos", "pictures", "samples", "all", "folder", "out", "tmp");
    private static final DateTimeFormatter VERSION = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);

    private ModelNames() {
    }

    /** The default name of a model fine-tuned from {@code base} on the ImageFolder {@code data}. */
    public static String defaultName(Path base, Path data) {
        Path folder = data.toAbsolutePath().normalize();
        for (int up = 0; up < 2 && folder != null && folder.getFileName() != null; up++) {
            String name = folder.getFileName().toString();
            if (!ROLE_NAMES.contains(name.toLowerCase(Locale.ROOT))) {
                String cleaned = sanitise(name);
                if (!cleaned.isEmpty()) {
                    return cleaned;
                }
            }
            folder = folder.getParent();
        }
        String fromBase = sanitise(baseName(base) + "-ft");
        return fromBase.isEmpty() ? "model" : fromBase;
    }

    /** A version for a model made now: the UTC time as {@code yyyyMMdd-HHmmss}. */
    public static String defaultVersion(Clock clock) {
        return VERSION.format(clock.instant());
    }

    /** The base model's name: its card's when it is a model package, else the file name without {@code .onnx}. */
    public static String baseName(Path base) {
        try {
            if (OnnxGraph.read(base).getMetadataPropsList().stream()
                    .anyMatch(p -> p.getKey().equals(ModelCard.METADATA_KEY))) {
                return ModelPackage.read(base).card().name();
            }
        } catch (ModelPackageException | RuntimeException e) {
            // not a readable package: fall back to the file name; the importer reports what is wrong with it
        }
        String file = base.getFileName().toString();
        return file.endsWith(".onnx") ? file.substring(0, file.length() - 5) : file;
    }

    /** A valid card name from any text: [A-Za-z0-9][A-Za-z0-9._-]{0,127}; empty when nothing usable is left. */
    static String sanitise(String text) {
        String cleaned = text.replaceAll("[^A-Za-z0-9._-]", "_").replaceFirst("^[^A-Za-z0-9]+", "");
        return cleaned.length() > 128 ? cleaned.substring(0, 128) : cleaned;
    }
}
