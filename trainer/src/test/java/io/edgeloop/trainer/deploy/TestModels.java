package io.edgeloop.trainer.deploy;

import io.edgeloop.protocol.model.InputSpec;
import io.edgeloop.protocol.model.ModelCard;
import io.edgeloop.protocol.model.ModelPackage;
import io.edgeloop.protocol.model.OutputSpec;
import io.edgeloop.protocol.model.TinyClassifierOnnx;
import io.edgeloop.protocol.preprocess.PreprocessSpec;
import io.edgeloop.protocol.signing.KeyFiles;
import io.edgeloop.protocol.signing.SigningKeys;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;

/** Small model packages and keys for deploy tests. */
final class TestModels {

    private TestModels() {
    }

    /** A tiny classifier package (Flatten → Gemm, 8×8 input, 4 classes) with a card, written to {@code file}. */
    static ModelPackage write(Path file, String version) throws Exception {
        ModelCard card = ModelCard.builder()
                .setName("fashion")
                .setVersion(version)
                .setCreated(Instant.parse("2026-11-28T18:00:00Z"))
                .setLabels(List.of("ankle-boot", "bag", "sandal", "sneaker"))
                .setInput(InputSpec.square("image", 8))
                .setPreprocessing(PreprocessSpec.imagenet(9, 8))
                .setOutput(OutputSpec.logits("logits"))
                .build();
        return ModelPackage.write(TinyClassifierOnnx.classifier(4), card, file);
    }

    static KeyPair keys(long seed) throws Exception {
        SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
        random.setSeed(seed);
        return SigningKeys.generate(random);
    }

    /** Writes the private key to {@code dir/deploy.pem} (owner-only) and returns its path. */
    static Path privateKeyFile(Path dir, KeyPair keys) throws Exception {
        Path file = dir.resolve("deploy.pem");
        KeyFiles.writePrivateKey(file, keys.getPrivate());
        return file;
    }
}
