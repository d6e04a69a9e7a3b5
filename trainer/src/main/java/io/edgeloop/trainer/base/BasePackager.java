package io.edgeloop.trainer.base;

import io.edgeloop.trainer.onnx.ChannelsFirst;
import ai.onnx.proto.OnnxMl;
import io.edgeloop.protocol.model.GraphSignature;
import io.edgeloop.protocol.model.InputSpec;
import io.edgeloop.protocol.model.ModelCard;
import io.edgeloop.protocol.model.ModelPackage;
import io.edgeloop.protocol.model.ModelPackageException;
import io.edgeloop.protocol.model.OutputKind;
import io.edgeloop.protocol.model.OutputSpec;
import io.edgeloop.protocol.model.TensorInfo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes a model package from a verified base file: the same graph (an NHWC input turned NCHW by
 * {@link ChannelsFirst}) with a card that carries the catalogue's preprocessing, the ImageNet-1k labels and the
 * provenance (URL, SHA-256 and size of the published file, licence, catalogue version), so {@code fit} and the
 * agent need nothing else. Input and output come from the graph itself: its single image input and its single
 * output, logits unless the output is produced by a Softmax.
 */
public final class BasePackager {

    private final Clock clock;

    public BasePackager(Clock clock) {
        this.clock = clock;
    }

    /**
     * Writes the package of {@code entry} (verified file {@code source}) to {@code target}, atomically.
     *
     * @throws ModelPackageException if the graph does not fit a classifier card (several inputs or outputs, a shape
     *                               that contradicts the catalogue, not 1000 classes)
     */
    public PulledPackage write(BaseEntry entry, Path source, String catalogVersion, List<String> labels, Path target)
            throws IOException, ModelPackageException {
        OnnxMl.ModelProto model;
        try (InputStream in = Files.newInputStream(source)) {
            model = OnnxMl.ModelProto.parseFrom(in);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new ModelPackageException(source, "not an ONNX model (" + e.getMessage() + ")", e);
        }
        List<String> notices = new ArrayList<>();
        TensorInfo in = single(source, "input", GraphSignature.of(model).inputs());
        if (!in.name().equals(entry.input().name())) {
            notices.add("the graph's input is \"" + in.name() + "\", the catalogue says \"" + entry.input().name()
                    + "\"; the card uses the graph's");
        }
        if (entry.input().layout() == InputLayout.NHWC) {
            try {
                model = ChannelsFirst.adapt(model, in.name());
            } catch (IllegalArgumentException e) {
                throw new ModelPackageException(source, e.getMessage(), e);
            }
            notices.add("the NHWC input \"" + in.name() + "\" now takes NCHW images through a Transpose in front"
                    + " (node " + ChannelsFirst.NODE + ")");
        }
        GraphSignature signature = GraphSignature.of(model);
        in = single(source, "input", signature.inputs());
        TensorInfo out = single(source, "output", signature.outputs());
        ModelCard card;
        try {
            card = ModelCard.builder()
                    .setName(entry.name())
                    .setVersion("sha256-" + entry.sha256().substring(0, 12))
                    .setCreated(clock.instant().truncatedTo(ChronoUnit.SECONDS))
                    .setLabels(labels)
                    .setInput(new InputSpec(in.name(), shape(in, entry.input().size())))
                    .setPreprocessing(entry.preprocessing())
                    .setOutput(new OutputSpec(softmaxProduces(model, out.name()) ? OutputKind.PROBABILITIES
                            : OutputKind.LOGITS, out.name(), null))
                    .optNotes(provenance(entry, catalogVersion, notices))
                    .build();
        } catch (IllegalArgumentException e) {
            throw new ModelPackageException(source, "cannot describe it with a model card: " + e.getMessage(), e);
        }
        ModelPackage written = ModelPackage.write(model, card, target);
        return new PulledPackage(written.file(), written.card(), notices);
    }

    private static Map<String, String> provenance(BaseEntry entry, String catalogVersion, List<String> notices) {
        Map<String, String> notes = new LinkedHashMap<>();
        notes.put("source_url", entry.url());
        notes.put("source_sha256", entry.sha256());
        notes.put("source_size_bytes", String.valueOf(entry.sizeBytes()));
        notes.put("licence", entry.licence());
        notes.put("description", entry.description());
        notes.put("labels", entry.labels() + " (torchvision's ImageNet category names)");
        notes.put("catalogue", "edgeloop base catalogue " + catalogVersion);
        if (entry.source() != null) {
            notes.put("source", entry.source());
        }
        if (!notices.isEmpty()) {
            notes.put("adapted", String.join("; ", notices));
        }
        return notes;
    }

    /** The card shape: the graph's dims with unknown channel/height/width filled in from the catalogue. */
    private static List<Long> shape(TensorInfo in, int size) {
        List<Long> d = in.dims();
        if (!in.rankKnown() || d.size() != 4) {
            return List.of(-1L, 3L, (long) size, (long) size);
        }
        return List.of(d.get(0), d.get(1) == -1 ? 3L : d.get(1), d.get(2) == -1 ? (long) size : d.get(2),
                d.get(3) == -1 ? (long) size : d.get(3));
    }

    private static boolean softmaxProduces(OnnxMl.ModelProto model, String output) {
        for (OnnxMl.NodeProto node : model.getGraph().getNodeList()) {
            if (node.getOutputList().contains(output)) {
                return node.getOpType().equals("Softmax");
            }
        }
        return false;
    }

    private static TensorInfo single(Path source, String what, List<TensorInfo> tensors)
            throws ModelPackageException {
        if (tensors.size() != 1) {
            throw new ModelPackageException(source, "the graph has " + tensors.size() + " " + what + "s "
                    + tensors.stream().map(TensorInfo::name).toList() + ", allowed exactly 1 for a base classifier");
        }
        return tensors.get(0);
    }
}
