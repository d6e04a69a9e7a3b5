package io.edgeloop.protocol.model;

import io.edgeloop.protocol.digest.Sha256;

import io.edgeloop.protocol.files.AtomicFiles;
import ai.onnx.proto.OnnxMl;
import io.edgeloop.protocol.preprocess.PreprocessSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A model package: one ONNX file plus the {@link ModelCard} that says how to run it.
 *
 * <p>{@link #read} loads a file whose metadata carries a card and cross-checks the card against the graph;
 * {@link #readPlain} loads a plain ONNX classifier and builds the card from the graph and what the caller supplies;
 * {@link #write} stores a card into a model and writes it atomically. Every failure is a
 * {@link ModelPackageException} whose message starts with the file.
 *
 * <p>Immutable. The parsed {@link OnnxMl.ModelProto} is kept (protobuf messages are immutable); it holds the whole
 * model in memory, so do not keep packages around longer than needed.
 */
public final class ModelPackage {

    private final Path file;
    private final ModelCard card;
    private final boolean cardEmbedded;
    private final String sha256;
    private final long sizeBytes;
    private final OnnxMl.ModelProto model;
    private final GraphSignature signature;

    private ModelPackage(Path file, ModelCard card, boolean cardEmbedded, String sha256, long sizeBytes,
                         OnnxMl.ModelProto model, GraphSignature signature) {
        this.file = file;
        this.card = card;
        this.cardEmbedded = cardEmbedded;
        this.sha256 = sha256;
        this.sizeBytes = sizeBytes;
        this.model = model;
        this.signature = signature;
    }

    /**
     * Reads a model package: checks the size limit, parses the ONNX protobuf, reads the card from the metadata key
     * {@value ModelCard#METADATA_KEY} and checks it against the graph.
     *
     * @throws ModelPackageException if the file is missing, too large, not ONNX, has no card or an invalid one, or
     *                               the card does not match the graph
     */
    public static ModelPackage read(Path file, ReadOptions options) throws ModelPackageException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(options, "options");
        OnnxModelFile.Loaded loaded = OnnxModelFile.read(file, options);
        String json = cardJson(file, loaded.model());
        if (json == null) {
            throw new ModelPackageException(file, "no model card (ONNX metadata key " + ModelCard.METADATA_KEY
                    + " is absent); use ModelPackage.readPlain with explicit labels and preprocessing");
        }
        ModelCard card;
        try {
            card = ModelCard.fromJson(json);
        } catch (IllegalArgumentException e) {
            throw new ModelPackageException(file, "invalid model card (metadata " + ModelCard.METADATA_KEY + "): "
                    + e.getMessage(), e);
        }
        GraphSignature signature = GraphSignature.of(loaded.model());
        checkAgainstGraph(file, card, signature);
        return new ModelPackage(file, card, true, loaded.sha256(), loaded.sizeBytes(), loaded.model(), signature);
    }

    /** {@link #read(Path, ReadOptions)} with {@link ReadOptions#DEFAULT}. */
    public static ModelPackage read(Path file) throws ModelPackageException {
        return read(file, ReadOptions.DEFAULT);
    }

    /**
     * Reads a plain ONNX classifier without a card. The graph must have exactly one input, {@code [N, 3, H, W]}
     * floats with H and W equal to the crop size or dynamic, and exactly one output {@code [N, labels]}. The card
     * is built from the graph and the arguments: name from the file name, version {@code sha256-<first 12 hex
     * digits>}, created from the file's modification time, temperature 1.0.
     *
     * @param labels        class labels in output order
     * @param preprocessing how images become the input tensor
     * @param outputKind    whether the single output holds logits or probabilities
     * @throws ModelPackageException if the file is not a usable ONNX classifier, already has a card, the graph's
     *                               input or output is ambiguous, or the labels or shapes do not fit the graph
     */
    public static ModelPackage readPlain(Path file, List<String> labels, PreprocessSpec preprocessing,
                                         OutputKind outputKind, ReadOptions options) throws ModelPackageException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(preprocessing, "preprocessing");
        Objects.requireNonNull(outputKind, "outputKind");
        Objects.requireNonNull(options, "options");
        OnnxModelFile.Loaded loaded = OnnxModelFile.read(file, options);
        if (cardJson(file, loaded.model()) != null) {
            throw new ModelPackageException(file, "has a model card (ONNX metadata key " + ModelCard.METADATA_KEY
                    + "); use ModelPackage.read, which trusts the card instead of explicit labels");
        }
        GraphSignature signature = GraphSignature.of(loaded.model());
        if (signature.inputs().size() != 1) {
            throw new ModelPackageException(file, "cannot tell the image input: the graph has "
                    + signature.inputs().size() + " inputs " + signature.inputNames()
                    + ", allowed exactly 1 for a model without a card");
        }
        if (signature.outputs().size() != 1) {
            throw new ModelPackageException(file, "cannot tell the scores output: the graph has "
                    + signature.outputs().size() + " outputs " + signature.outputNames()
                    + ", allowed exactly 1 for a model without a card");
        }
        TensorInfo in = signature.inputs().get(0);
        if (!in.rankKnown() || in.dims().size() != 4) {
            throw new ModelPackageException(file, "graph input \"" + in.name() + "\" has shape " + in.shapeText()
                    + ", allowed [N, 3, H, W]");
        }
        long crop = preprocessing.cropSize();
        List<Long> shape = List.of(in.dims().get(0),
                in.dims().get(1) == -1 ? 3L : in.dims().get(1),
                in.dims().get(2) == -1 ? crop : in.dims().get(2),
                in.dims().get(3) == -1 ? crop : in.dims().get(3));
        ModelCard card;
        try {
            card = ModelCard.builder()
                    .setName(plainName(file))
                    .setVersion("sha256-" + loaded.sha256().substring(0, 12))
                    .setCreated(Files.getLastModifiedTime(file).toInstant().truncatedTo(ChronoUnit.SECONDS))
                    .setLabels(labels)
                    .setInput(new InputSpec(in.name(), shape))
                    .setPreprocessing(preprocessing)
                    .setOutput(new OutputSpec(outputKind, signature.outputs().get(0).name(), null))
                    .optNotes(Map.of("source", "plain ONNX model without a model card; labels and preprocessing"
                            + " supplied by the caller"))
                    .build();
        } catch (IllegalArgumentException e) {
            throw new ModelPackageException(file, e.getMessage(), e);
        } catch (IOException e) {
            throw new ModelPackageException(file, "cannot read the modification time (" + e + ")", e);
        }
        checkAgainstGraph(file, card, signature);
        return new ModelPackage(file, card, false, loaded.sha256(), loaded.sizeBytes(), loaded.model(), signature);
    }

    /**
     * Writes {@code model} with {@code card} in its metadata (replacing any earlier card) to {@code target},
     * atomically: the bytes go to a temporary file in the same directory, are forced to disk, then moved over the
     * target. Parent directories are created. The card is checked against the graph first.
     *
     * @return the written package
     * @throws ModelPackageException if the card does not match the graph or the file cannot be written
     */
    public static ModelPackage write(OnnxMl.ModelProto model, ModelCard card, Path target)
            throws ModelPackageException {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(card, "card");
        Objects.requireNonNull(target, "target");
        GraphSignature signature = GraphSignature.of(model);
        checkAgainstGraph(target, card, signature);
        List<OnnxMl.StringStringEntryProto> metadata = new ArrayList<>();
        for (OnnxMl.StringStringEntryProto e : model.getMetadataPropsList()) {
            if (!e.getKey().equals(ModelCard.METADATA_KEY)) {
                metadata.add(e);
            }
        }
        metadata.add(OnnxMl.StringStringEntryProto.newBuilder()
                .setKey(ModelCard.METADATA_KEY).setValue(card.toJson()).build());
        OnnxMl.ModelProto withCard = model.toBuilder().clearMetadataProps().addAllMetadataProps(metadata).build();
        byte[] bytes = withCard.toByteArray();
        writeAtomically(target, bytes);
        return new ModelPackage(target, card, true, Sha256.hex(bytes), bytes.length, withCard, signature);
    }

    private static void writeAtomically(Path target, byte[] bytes) throws ModelPackageException {
        try {
            AtomicFiles.replace(target, bytes);
        } catch (IOException e) {
            throw new ModelPackageException(target, "cannot write (" + e + ")", e);
        }
    }

    private static String cardJson(Path file, OnnxMl.ModelProto model) throws ModelPackageException {
        String json = null;
        int count = 0;
        for (OnnxMl.StringStringEntryProto e : model.getMetadataPropsList()) {
            if (e.getKey().equals(ModelCard.METADATA_KEY)) {
                json = e.getValue();
                count++;
            }
        }
        if (count > 1) {
            throw new ModelPackageException(file, "ONNX metadata key " + ModelCard.METADATA_KEY + " appears " + count
                    + " times, allowed once");
        }
        return json;
    }

    private static void checkAgainstGraph(Path file, ModelCard card, GraphSignature signature)
            throws ModelPackageException {
        try {
            CardGraphCheck.check(card, signature);
        } catch (IllegalArgumentException e) {
            throw new ModelPackageException(file, "model card does not match the graph: " + e.getMessage(), e);
        }
    }

    /** A model name from a file name: {@code resnet18 (v2).onnx} becomes {@code resnet18-v2}. */
    static String plainName(Path file) {
        String stem = file.getFileName().toString();
        if (stem.toLowerCase().endsWith(".onnx")) {
            stem = stem.substring(0, stem.length() - 5);
        }
        String cleaned = stem.replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("^[^A-Za-z0-9]+", "")
                .replaceAll("-+$", "");
        if (cleaned.length() > 128) {
            cleaned = cleaned.substring(0, 128);
        }
        return cleaned.isEmpty() ? "model" : cleaned;
    }

    /** The file this package was read from or written to. */
    public Path file() {
        return file;
    }

    /** The model card: embedded in the file, or built by {@link #readPlain}. */
    public ModelCard card() {
        return card;
    }

    /** Whether the card came from the file's metadata ({@code false} for {@link #readPlain}). */
    public boolean cardEmbedded() {
        return cardEmbedded;
    }

    /** SHA-256 of the file's bytes, 64 lowercase hex digits. */
    public String sha256() {
        return sha256;
    }

    /** Size of the file in bytes. */
    public long sizeBytes() {
        return sizeBytes;
    }

    /** The parsed ONNX model (immutable). */
    public OnnxMl.ModelProto model() {
        return model;
    }

    /** The graph's real inputs and its outputs. */
    public GraphSignature signature() {
        return signature;
    }

    /** When the card says the package was created. */
    public Instant created() {
        return card.created();
    }

    @Override
    public String toString() {
        return "ModelPackage[" + file + ", " + card.name() + " " + card.version() + ", sha256=" + sha256 + "]";
    }
}
