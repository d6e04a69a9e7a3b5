package io.edgeloop.trainer.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeloop.protocol.files.Trees;
import io.edgeloop.protocol.json.ProtocolJson;
import io.edgeloop.protocol.model.ModelCard;
import io.edgeloop.protocol.model.ModelPackage;
import io.edgeloop.protocol.model.ModelPackageException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A registry folder holding model versions as {@code <root>/<name>/<version>/} with {@value #MODEL},
 * {@value #REPORT}, {@value #METRICS} and {@value HardExamples#FILE_NAME}. Versions are immutable once added: adding
 * one that exists is refused. Nothing is cached; every call reads the folder as it is now.
 *
 * <p>A version's parent is the version of the same name whose {@code model.onnx} has the SHA-256 the card's
 * {@code baseModel} names; when no registered version matches, the card's {@code parent} note still names it (shown
 * as not registered).
 */
public final class ModelRegistry {

    /** The default registry folder, relative to the working directory. */
    public static final String DEFAULT_FOLDER = "models";
    /** The model package in a version folder. */
    public static final String MODEL = "model.onnx";
    /** The training report in a version folder. */
    public static final String REPORT = "report.html";
    /** The training metrics in a version folder. */
    public static final String METRICS = "metrics.json";
    /** The card note naming the parent version (written by the fine-tune's exporter). */
    public static final String PARENT_NOTE = "parent";

    private final Path root;

    public ModelRegistry(Path root) {
        this.root = root;
    }

    /** The registry folder. */
    public Path root() {
        return root;
    }

    /**
     * The files of a finished run to register.
     *
     * @param model   the model package ({@code model.onnx})
     * @param report  {@code report.html}
     * @param metrics {@code metrics.json}
     * @param data    the training ImageFolder, scanned for labelled hard examples
     */
    public record Run(Path model, Path report, Path metrics, Path data) {
    }

    /**
     * Copies a finished run into {@code <root>/<name>/<version>/}, name and version from its card. The files go into
     * a hidden folder first that is then renamed, so a crash never leaves a half-written version behind.
     *
     * @throws IllegalArgumentException if the version is already registered (naming it), or a file is missing
     */
    public RegisteredVersion add(Run run) throws IOException {
        for (Path file : List.of(run.model(), run.report(), run.metrics())) {
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("cannot register: " + file + " not found, allowed a finished run"
                        + " folder with " + MODEL + ", " + REPORT + " and " + METRICS);
            }
        }
        ModelCard card = readCard(run.model());
        requireFree(card.name(), card.version());
        Path models = Files.createDirectories(root.resolve(card.name()));
        Path incoming = Files.createTempDirectory(models, ".incoming-" + card.version() + "-");
        try {
            Files.copy(run.model(), incoming.resolve(MODEL));
            Files.copy(run.report(), incoming.resolve(REPORT));
            Files.copy(run.metrics(), incoming.resolve(METRICS));
            HardExamples.write(HardExamples.scan(run.data()), incoming);
            Path target = models.resolve(card.version());
            try {
                Files.move(incoming, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
                throw new IllegalArgumentException(alreadyRegistered(card.name(), card.version()), e);
            }
        } finally {
            deleteTree(incoming);
        }
        return find(card.name(), card.version());
    }

    /**
     * The model name when {@code model} is a version's package in this registry
     * ({@code <root>/<name>/<version>/model.onnx}); empty for any other file.
     */
    public Optional<String> nameOf(Path model) {
        Path file = model.toAbsolutePath().normalize();
        Path versionFolder = file.getParent();
        if (!file.getFileName().toString().equals(MODEL) || versionFolder == null
                || versionFolder.getParent() == null || versionFolder.getParent().getParent() == null
                || !versionFolder.getParent().getParent().equals(root.toAbsolutePath().normalize())) {
            return Optional.empty();
        }
        return Optional.of(versionFolder.getParent().getFileName().toString());
    }

    /**
     * Fails when {@code name version} is already registered, before any work is done for it.
     *
     * @throws IllegalArgumentException naming the existing version folder
     */
    public void requireFree(String name, String version) {
        if (Files.exists(root.resolve(name).resolve(version))) {
            throw new IllegalArgumentException(alreadyRegistered(name, version));
        }
    }

    private String alreadyRegistered(String name, String version) {
        return "version " + version + " of " + name + " is already registered (" + root.resolve(name).resolve(version)
                + "); registered versions are never overwritten, choose another --model-version";
    }

    /** Every version folder, usable or broken, sorted by name, then creation time (broken ones last), then version. */
    public List<RegistryEntry> entries() throws IOException {
        List<RegistryEntry> read = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return read;
        }
        for (Path name : children(root)) {
            if (Files.exists(name.resolve(MODEL))) {
                continue; // a plain package folder such as models/base/ (pretrain's output), not a model name
            }
            for (Path version : children(name)) {
                read.add(read(name.getFileName().toString(), version));
            }
        }
        List<RegistryEntry> resolved = new ArrayList<>();
        for (RegistryEntry e : read) {
            resolved.add(e instanceof RegisteredVersion v ? v.withParent(parentOf(v, read)) : e);
        }
        resolved.sort(Comparator.comparing(RegistryEntry::name).thenComparing(ModelRegistry::created)
                .thenComparing(RegistryEntry::version));
        return resolved;
    }

    /**
     * The usable version {@code name version}.
     *
     * @throws IllegalArgumentException if the registry has no such name or version (listing those it has), or the
     *                                  version folder is broken (with the reason)
     */
    public RegisteredVersion find(String name, String version) throws IOException {
        List<RegistryEntry> all = entries();
        List<RegistryEntry> ofName = all.stream().filter(e -> e.name().equals(name)).toList();
        if (ofName.isEmpty()) {
            List<String> names = all.stream().map(RegistryEntry::name).distinct().toList();
            throw new IllegalArgumentException("no model named " + name + " in " + root + ", allowed "
                    + (names.isEmpty() ? "none (the registry is empty)" : "one of " + names));
        }
        for (RegistryEntry e : ofName) {
            if (e.version().equals(version)) {
                if (e instanceof BrokenVersion b) {
                    throw new IllegalArgumentException(name + " " + version + " in " + root + " is broken: "
                            + b.reason());
                }
                return (RegisteredVersion) e;
            }
        }
        throw new IllegalArgumentException(name + " has no version " + version + " in " + root + ", allowed one of "
                + ofName.stream().map(RegistryEntry::version).toList());
    }

    /**
     * {@code version} followed by its parent, grandparent and so on, as far as the registry holds them; stops at a
     * parent that is not registered or broken (and at a cycle, which only a hand-edited registry can have).
     */
    public List<RegisteredVersion> lineage(RegisteredVersion version) throws IOException {
        Map<String, RegisteredVersion> byVersion = new LinkedHashMap<>();
        for (RegistryEntry e : entries()) {
            if (e instanceof RegisteredVersion v && v.name().equals(version.name())) {
                byVersion.put(v.version(), v);
            }
        }
        List<RegisteredVersion> chain = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        RegisteredVersion current = version;
        while (current != null && seen.add(current.version())) {
            chain.add(current);
            current = current.parent().filter(Parent::registered).map(p -> byVersion.get(p.version())).orElse(null);
        }
        return chain;
    }

    private static Optional<Parent> parentOf(RegisteredVersion v, List<RegistryEntry> all) {
        if (v.card().baseModel() != null) {
            String baseSha = v.card().baseModel().sha256();
            Optional<Parent> bySha = all.stream()
                    .filter(e -> e instanceof RegisteredVersion r && r.name().equals(v.name())
                            && r.sha256().equals(baseSha) && !r.version().equals(v.version()))
                    .findFirst().map(e -> new Parent(e.version(), true));
            if (bySha.isPresent()) {
                return bySha;
            }
        }
        return Optional.ofNullable(v.card().notes().get(PARENT_NOTE)).map(p -> new Parent(p, false));
    }

    private static RegistryEntry read(String name, Path folder) throws IOException {
        String version = folder.getFileName().toString();
        Path model = folder.resolve(MODEL);
        if (!Files.isRegularFile(model)) {
            return new BrokenVersion(name, version, folder, MODEL + " is missing");
        }
        ModelPackage pkg;
        try {
            pkg = ModelPackage.read(model);
        } catch (ModelPackageException e) {
            // the folder is named by the entry; the message's leading file path would only repeat it
            String problem = e.getMessage().startsWith(e.file() + ": ")
                    ? e.getMessage().substring(e.file().toString().length() + 2) : e.getMessage();
            return new BrokenVersion(name, version, folder, "unreadable " + MODEL + ": " + problem);
        }
        ModelCard card = pkg.card();
        if (!card.name().equals(name) || !card.version().equals(version)) {
            return new BrokenVersion(name, version, folder, "the card says " + card.name() + " " + card.version()
                    + ", not " + name + " " + version);
        }
        Optional<ValidationAccuracy> accuracy = Optional.empty();
        Path metrics = folder.resolve(METRICS);
        if (Files.isRegularFile(metrics)) {
            JsonNode tree;
            try {
                tree = ProtocolJson.parseTree(Files.readAllBytes(metrics));
            } catch (IllegalArgumentException e) {
                return new BrokenVersion(name, version, folder, "unreadable " + METRICS + ": " + e.getMessage());
            }
            accuracy = ValidationAccuracy.fromMetrics(tree);
        }
        return new RegisteredVersion(name, version, folder, card, pkg.sha256(), accuracy, Optional.empty(),
                HardExamples.count(folder));
    }

    private static ModelCard readCard(Path model) {
        try {
            return ModelPackage.read(model).card();
        } catch (ModelPackageException e) {
            throw new IllegalArgumentException("cannot register " + model + ": " + e.getMessage(), e);
        }
    }

    private static String created(RegistryEntry e) {
        // ISO-8601 UTC instants sort as text; broken versions (no card) after the dated ones
        return e instanceof RegisteredVersion v ? v.card().created().toString() : "~";
    }

    private static List<Path> children(Path folder) throws IOException {
        try (Stream<Path> list = Files.list(folder)) {
            return list.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted().toList();
        }
    }

    private static void deleteTree(Path folder) {
        try {
            Trees.delete(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the unfinished version folder " + folder, e);
        }
    }
}
