package io.edgeloop.agent.deploy;

import io.edgeloop.agent.config.ConfigException;
import io.edgeloop.protocol.signing.KeyFileException;
import io.edgeloop.protocol.signing.TrustStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The configured trust store ({@code deploy.trustedKeys}) as {@code run} and {@code check} both judge it. A directory
 * that does not exist yet, or holds no key, means no key is trusted yet: the agent runs and classifies, and rejects
 * every deploy command with that reason until a public key from {@code trainer keys} is put there (the directory is
 * read again for every command, so no restart is needed). A directory with a file that is not an Ed25519 public key
 * is a configuration error: someone meant to trust a key and the agent cannot honour it.
 */
public final class TrustedKeys {

    private final Path dir;
    private final List<String> keyIds;

    private TrustedKeys(Path dir, List<String> keyIds) {
        this.dir = dir;
        this.keyIds = keyIds;
    }

    /**
     * Reads the trust store.
     *
     * @throws ConfigException naming {@code deploy.trustedKeys} and the broken file
     */
    public static TrustedKeys read(String trustedKeys) throws ConfigException {
        Path dir = Path.of(trustedKeys);
        if (!Files.exists(dir)) {
            return new TrustedKeys(dir, List.of());
        }
        try {
            return new TrustedKeys(dir, TrustStore.load(dir).keyIds());
        } catch (KeyFileException e) {
            throw new ConfigException("deploy.trustedKeys: " + e.getMessage()
                    + " (allowed only Ed25519 public keys, *.pem, such as the .pub.pem from 'trainer keys')", e);
        }
    }

    /** The trusted key ids, sorted; none while the directory is missing or empty. */
    public List<String> keyIds() {
        return keyIds;
    }

    /** Why every deploy command is rejected while no key is trusted, or null when some key is. */
    public String noKeysReason() {
        return keyIds.isEmpty() ? noKeys(dir) : null;
    }

    /** The rejection reason while {@code dir}, the trust store, is missing or holds no key. */
    static String noKeys(Path dir) {
        String what = Files.exists(dir) ? dir + " holds no public key (*.pem)" : dir + " does not exist";
        return "no trusted keys: deploy.trustedKeys " + what + "; put the public key from 'trainer keys generate' "
                + "(NAME.pub.pem) there";
    }

    /** One line for logs and {@code check}. */
    public String describe() {
        String reason = noKeysReason();
        return reason != null ? "every deploy command will be rejected: " + reason
                : "trusting " + keyIds.size() + " key(s) " + keyIds + " from " + dir;
    }
}
