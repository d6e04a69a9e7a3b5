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
                .setInput(new InputSpec("input", List.of(1L, 3L, (long) ColourModel.SIZE, (long) ColourModel.SIZE))).setPreprocessing(ColourModel.PREPROCESS)
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
