package io.edgeloop.trainer.job;

import java.nio.file.Path;

/**
 * Where {@link KeysJob#generate} writes a new deployment key pair: {@code dir/name.pem} (private) and
 * {@code dir/name.pub.pem} (public). Validated; messages name the fields as {@code trainer keys generate} spells them.
 *
 * @param dir  the directory ({@code --out}), created if missing
 * @param name the file name stem ({@code --name}): 1-64 letters, digits, '.', '_' or '-', starting with a letter or
 *             digit
 */
public record KeyPairRequest(Path dir, String name) {

    /** The default stem, {@value}: {@code deploy.pem} and {@code deploy.pub.pem}. */
    public static final String DEFAULT_NAME = "deploy";

    public KeyPairRequest {
        if (dir == null) {
            throw new IllegalArgumentException("--out is missing, allowed a directory for the key files");
        }
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            throw new IllegalArgumentException("--name is " + (name == null ? "missing" : "\"" + name + "\"")
                    + ", allowed 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
    }

    /** {@code dir/deploy.pem} and {@code dir/deploy.pub.pem}. */
    public static KeyPairRequest in(Path dir) {
        return new KeyPairRequest(dir, DEFAULT_NAME);
    }

    /** The private key file. */
    public Path privateKeyFile() {
        return dir.resolve(name + ".pem");
    }

    /** The public key file. */
    public Path publicKeyFile() {
        return dir.resolve(name + ".pub.pem");
    }
}
