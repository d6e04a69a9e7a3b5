package io.edgeloop.trainer.cli;

import io.edgeloop.protocol.tls.PemTls;
import io.edgeloop.protocol.tls.PemTlsException;
import io.edgeloop.trainer.collect.MqttCredentials;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The MQTT login options every workstation command that talks to the broker shares ({@code --username} with
 * {@code --password-env} or {@code --password-file}; the password itself never appears on the command line), and
 * TLS to a private CA with an optional client certificate ({@code --tls-ca}, {@code --tls-cert}, {@code --tls-key}),
 * as the fleet broker of {@code devices/broker/} needs.
 */
public final class MqttLoginOptions {

    @Option(names = "--username", paramLabel = "NAME", description = "MQTT user name (default: anonymous).")
    private String username;

    @Option(names = "--password-env", paramLabel = "VAR",
            description = "Environment variable holding the MQTT password.")
    private String passwordEnv;

    @Option(names = "--password-file", paramLabel = "FILE",
            description = "File holding the MQTT password (first line).")
    private Path passwordFile;

    @Option(names = "--tls-ca", paramLabel = "FILE",
            description = "PEM CA certificate(s) to trust for an ssl:// broker (instead of the JVM's).")
    private Path tlsCa;

    @Option(names = "--tls-cert", paramLabel = "FILE",
            description = "PEM client certificate for mutual TLS (with --tls-key and --tls-ca).")
    private Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE",
            description = "PKCS#8 PEM key of --tls-cert (plain, or encrypted with --tls-key-passphrase-env).")
    private Path tlsKey;

    @Option(names = "--tls-key-passphrase-env", paramLabel = "VAR",
            description = "Environment variable holding the passphrase of an encrypted --tls-key.")
    private String tlsKeyPassphraseEnv;

    private static final PemTls.Names TLS_NAMES = new PemTls.Names("--tls-ca", "--tls-ca", "--tls-cert",
            "--tls-key", "--tls-key-passphrase-env");

    /**
     * The credentials the options name.
     *
     * @throws IllegalArgumentException when the options contradict each other, the variable is unset or the password
     *                                  file cannot be read (named, with why)
     */
    public MqttCredentials credentials(Map<String, String> environment) {
        MqttCredentials login;
        try {
            login = MqttCredentials.fromOptions(username, passwordEnv, passwordFile, environment);
        } catch (IOException e) {
            String why = e instanceof AccessDeniedException ? "permission denied" : e.getMessage();
            throw new IllegalArgumentException("--password-file " + passwordFile + " cannot be read (" + why
                    + "), allowed a readable file with the password on its first line", e);
        }
        if (tlsCa == null) {
            if (tlsCert != null || tlsKey != null || tlsKeyPassphraseEnv != null) {
                throw new IllegalArgumentException("--tls-cert, --tls-key and --tls-key-passphrase-env need --tls-ca"
                        + " FILE (the CA that signed the broker's certificate)");
            }
            return login;
        }
        char[] passphrase = null;
        if (tlsKeyPassphraseEnv != null) {
            String value = environment.get(tlsKeyPassphraseEnv);
            if (value == null) {
                throw new IllegalArgumentException("--tls-key-passphrase-env names " + tlsKeyPassphraseEnv
                        + ", which is not set in the environment");
            }
            passphrase = value.toCharArray();
        }
        try {
            return login.withTls(PemTls.socketFactory(tlsCa, tlsCert, tlsKey, passphrase, TLS_NAMES));
        } catch (PemTlsException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
