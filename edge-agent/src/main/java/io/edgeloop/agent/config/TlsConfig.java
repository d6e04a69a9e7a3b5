package io.edgeloop.agent.config;

/**
 * TLS to the broker: the CA that signed the broker's certificate and, optionally, a client certificate and its
 * PKCS#8 PEM key (encrypted keys take their passphrase from an environment variable or a file).
 */
public record TlsConfig(String caFile, String certFile, String keyFile, String keyPassphraseEnv,
        String keyPassphraseFile, Boolean verifyHostname) {

    public TlsConfig {
        caFile = ConfigValues.required("caFile", caFile, "a PEM file with the broker's CA certificate(s)");
        certFile = ConfigValues.optional(certFile);
        keyFile = ConfigValues.optional(keyFile);
        if ((certFile == null) != (keyFile == null)) {
            throw new IllegalArgumentException("certFile and keyFile must be set together, got certFile="
                    + certFile + ", keyFile=" + keyFile);
        }
        SecretRef.of("keyPassphrase", keyPassphraseEnv, keyPassphraseFile);
        verifyHostname = verifyHostname == null || verifyHostname;
    }

    /** Where the key passphrase comes from, or null for an unencrypted key. */
    public SecretRef keyPassphrase() {
        return SecretRef.of("keyPassphrase", keyPassphraseEnv, keyPassphraseFile);
    }
}
