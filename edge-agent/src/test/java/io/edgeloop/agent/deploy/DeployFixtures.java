package io.edgeloop.agent.deploy;

import ai.onnx.proto.OnnxMl;
import io.edgeloop.agent.testing.ColourModel;
import io.edgeloop.protocol.model.InputSpec;
import io.edgeloop.protocol.model.ModelCard;
import io.edgeloop.protocol.model.ModelPackage;
import io.edgeloop.protocol.model.OutputSpec;
import io.edgeloop.protocol.mqtt.DeployCommand;
import io.edgeloop.protocol.mqtt.Payloads;
import io.edgeloop.protocol.signing.ModelSignature;
import io.edgeloop.protocol.signing.ModelSigner;
import io.edgeloop.protocol.signing.SigningKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/** Model packages of the tiny colour classifier with cards, keys and signed deploy commands for deploy tests. */
final class DeployFixtures {

    private DeployFixtures() {
    }

    /** The colour classifier (red/green/blue channel means → logits) as a package with a card. */
    static Path colourPackage(Path file, String version, List<String> labels) throws Exception {
        return ModelPackage.write(colourGraph(file), card(version, labels), file).file();
    }

    /** The colour classifier as a package whose card says it was made at {@code created}. */
    static Path colourPackage(Path file, String version, List<String> labels, Instant created) throws Exception {
        ModelCard card = card(version, labels).toBuilder().setCreated(created).build();
        return ModelPackage.write(colourGraph(file), card, file).file();
    }

    /**
     * The colour classifier with a card that does not fit its graph ({@code labels} has another length than the 3
     * outputs), written directly into the metadata as a broken exporter would.
     */
    static Path badCardPackage(Path file, String version, List<String> labels) throws Exception {
        OnnxMl.ModelProto model = colourGraph(file).toBuilder()
                .addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey(ModelCard.METADATA_KEY)
                        .setValue(card(version, labels).toJson()))
                .build();
        Files.write(file, model.toByteArray());
        return file;
    }

    /**
     * A colour classifier that runs on zeros and on red frames but fails in ONNX Runtime on green ones: the green
     * mean times 10 becomes a Gather index into a 3-element table (index 10 is out of bounds).
     */
    static Path greenFailsPackage(Path file, String version, List<String> labels) throws Exception {
        OnnxMl.ModelProto colour = colourGraph(file);
        OnnxMl.GraphProto.Builder g = colour.getGraph().toBuilder();
        g.setNode(1, g.getNode(1).toBuilder().setOutput(0, "raw"));
        g.addInitializer(floats("Wg", new long[] {3, 1}, 0, 10, 0));
        g.addInitializer(floats("table", new long[] {3}, 0, 0, 0));
        g.addNode(node("MatMul", "green", "g", "means", "Wg"));
        g.addNode(OnnxMl.NodeProto.newBuilder().setOpType("Cast").setName("index").addInput("g").addOutput("idx")
                .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("to")
                        .setType(OnnxMl.AttributeProto.AttributeType.INT)
                        .setI(OnnxMl.TensorProto.DataType.INT64.getNumber())));
        g.addNode(node("Gather", "lookup", "bump", "table", "idx"));
        g.addNode(node("Add", "add", "logits", "raw", "bump"));
        return ModelPackage.write(colour.toBuilder().setGraph(g).build(), card(version, labels), file).file();
    }

    /**
     * Like {@link #greenFailsPackage}, but ONNX Runtime runs fine and the scores are NaN on green frames:
     * {@code logits + sqrt(-relu(10 * green mean))} adds -0 on red frames and on zeros, NaN where green is bright.
     */
    static Path greenNanPackage(Path file, String version, List<String> labels) throws Exception {
        OnnxMl.ModelProto colour = colourGraph(file);
        OnnxMl.GraphProto.Builder g = colour.getGraph().toBuilder();
        g.setNode(1, g.getNode(1).toBuilder().setOutput(0, "raw"));
        g.addInitializer(floats("Wg", new long[] {3, 1}, 0, 10, 0));
        g.addNode(node("MatMul", "green", "g", "means", "Wg"));
        g.addNode(node("Relu", "bright", "r", "g"));
        g.addNode(node("Neg", "negate", "n", "r"));
        g.addNode(node("Sqrt", "nan", "bump", "n"));
        g.addNode(node("Add", "add", "logits", "raw", "bump"));
        return ModelPackage.write(colour.toBuilder().setGraph(g).build(), card(version, labels), file).file();
    }

    private static OnnxMl.NodeProto node(String op, String name, String output, String... inputs) {
        OnnxMl.NodeProto.Builder n = OnnxMl.NodeProto.newBuilder().setOpType(op).setName(name).addOutput(output);
        for (String input : inputs) {
            n.addInput(input);
        }
        return n.build();
    }

    private static OnnxMl.TensorProto floats(String name, long[] dims, float... values) {
        OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name)
                .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber());
        for (long d : dims) {
            t.addDims(d);
        }
        for (float v : values) {
            t.addFloatData(v);
        }
        return t.build();
    }

    private static OnnxMl.ModelProto colourGraph(Path file) throws Exception {
        Path plain = ColourModel.write(file.resolveSibling(file.getFileName() + ".plain"), false);
        try {
            return OnnxMl.ModelProto.parseFrom(Files.readAllBytes(plain));
        } finally {
            Files.delete(plain);
        }
    }

    private static ModelCard card(String version, List<String> labels) {
        return ModelCard.builder().setName("colour").setVersion(version)
                .setCreated(Instant.parse("2026-11-28T18:00:00Z")).setLabels(labels)
                .setInput(new InputSpec("input", List.of(1L, 3L, (long) ColourModel.SIZE,
                        (long) ColourModel.SIZE))).setPreprocessing(ColourModel.PREPROCESS)
                .setOutput(OutputSpec.logits("logits")).build();
    }

    static KeyPair keys(long seed) throws Exception {
        SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
        random.setSeed(seed);
        return SigningKeys.generate(random);
    }

    /** A signed command for {@code file} (its current bytes), inline or by {@code url}. */
    static DeployCommand command(Path file, String name, String version, KeyPair keys, Instant issuedAt, String url)
            throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        ModelSignature sig = new ModelSigner(keys.getPrivate()).sign(bytes);
        return new DeployCommand(Payloads.SCHEMA, name, version, issuedAt, url,
                url == null ? Base64.getEncoder().encodeToString(bytes) : null, sig.sha256(), sig.sizeBytes(),
                sig.signature(), sig.keyId());
    }
}
