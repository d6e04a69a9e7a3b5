package io.edgeloop.agent.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Signed model deployment over MQTT. Absent section: deploy commands are not subscribed to at all.
 *
 * @param trustedKeys     directory of trusted Ed25519 public keys ({@code *.pem}); required
 * @param maxModelBytes   largest model file accepted (1 KiB..2 GiB-1, default 256 MiB)
 * @param allowUrlSchemes URL schemes a command may download from, a subset of [https, http, file] (default
 *                        [https]); inline models are always accepted
 * @param healthCheckFrames   after activation, watch this many frames and roll back if more than half of them
 *                            fail in inference (0..100000, default 10; 0 = no health check)
 * @param healthCheckSeconds  longest time the health check watches (1..3600, default 60)
 */
public record DeployConfig(String trustedKeys, Long maxModelBytes, List<String> allowUrlSchemes,
        Integer healthCheckFrames, Integer healthCheckSeconds) {

    /** The URL schemes a deploy command may name. */
    public static final List<String> SCHEMES = List.of("https", "http", "file");

    public DeployConfig {
        trustedKeys = ConfigValues.required("trustedKeys", trustedKeys,
                "the directory of trusted Ed25519 public keys (*.pem)");
        maxModelBytes = ConfigValues.longRange("maxModelBytes", maxModelBytes, 256L << 20, 1L << 10, Integer.MAX_VALUE);
        if (allowUrlSchemes == null) {
            allowUrlSchemes = List.of("https");
        } else {
            List<String> schemes = new ArrayList<>();
            for (String s : allowUrlSchemes) {
                if (s == null || !SCHEMES.contains(s)) {
                    throw new IllegalArgumentException("allowUrlSchemes has '" + s + "', allowed a subset of "
                            + SCHEMES);
                }
                if (schemes.contains(s)) {
                    throw new IllegalArgumentException("allowUrlSchemes has '" + s + "' twice, allowed each scheme"
                            + " once");
                }
                schemes.add(s);
            }
            allowUrlSchemes = List.copyOf(schemes);
        }
        healthCheckFrames = ConfigValues.intRange("healthCheckFrames", healthCheckFrames, 10, 0, 100_000);
        healthCheckSeconds = ConfigValues.intRange("healthCheckSeconds", healthCheckSeconds, 60, 1, 3600);
    }
}
