package io.edgeloop.trainer.job;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A key pair {@link KeysJob#generate} wrote.
 *
 * @param keyId      the key id deploy commands carry and devices look up in their trust store
 * @param privateKey the private key file (PKCS#8 PEM, owner-only): signs deploys, stays on the workstation
 * @param publicKey  the public key file (X.509 PEM): goes into each device's trust store
 */
public record GeneratedKeys(String keyId, Path privateKey, Path publicKey) {

    public GeneratedKeys {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(publicKey, "publicKey");
    }
}
