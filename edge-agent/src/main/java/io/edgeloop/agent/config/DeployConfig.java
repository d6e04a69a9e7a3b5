package io.edgeloop.agent.config;

/**
 * Over-the-air model updates: the agent takes deploy commands from {@code <prefix>/<device>/deploy} and
 * {@code <prefix>/_fleet/deploy}, and activates a model only if its size, SHA-256 and Ed25519 signature verify
 * against a key in the trust store and it passes a smoke test; the previous model keeps serving otherwise.
 *
 * @param enabled                whether to subscribe to deploy commands (default false)
 * @param trustDir               directory of trusted Ed25519 public keys ({@code <keyId>.pem}); required when enabled
 * @param modelsDir              where deployed models are stored (default {@code <stateDir>/models})
 * @param maxBytes               largest model accepted (1 KiB..2 GiB, default 512 MiB)
 * @param downloadTimeoutSeconds bound on downloading a model from its URL (1..3600, default 120)
 */
public record DeployConfig(Boolean enabled, String trustDir, String modelsDir, Long maxBytes,
        Integer downloadTimeoutSeconds) {

    public static final DeployConfig DEFAULT = new DeployConfig(null, null, null, null, null);

    public DeployConfig {
        enabled = enabled != null && enabled;
        trustDir = Checks.optional(trustDir);
        if (enabled && trustDir == null) {
            throw new IllegalArgumentException("trustDir is missing, required with enabled: true (a directory of "
                    + "trusted Ed25519 public keys)");
        }
        modelsDir = Checks.optional(modelsDir);
        maxBytes = Checks.longRange("maxBytes", maxBytes, 512L << 20, 1L << 10, Integer.MAX_VALUE);
        downloadTimeoutSeconds = Checks.intRange("downloadTimeoutSeconds", downloadTimeoutSeconds, 120, 1, 3600);
    }
}
