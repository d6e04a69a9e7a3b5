package io.edgeloop.agent.mqtt;

import io.edgeloop.agent.config.ConfigException;
import io.edgeloop.agent.config.TlsConfig;
import io.edgeloop.protocol.tls.PemTls;
import io.edgeloop.protocol.tls.PemTlsException;
import java.nio.file.Path;
import java.util.Map;
import javax.net.ssl.SSLSocketFactory;

/**
 * Builds the TLS socket factory for the broker from the {@code mqtt.tls} PEM files ({@link PemTls}): the CA
 * certificate(s) to trust and, for mutual TLS, a client certificate chain and its PKCS#8 private key (plain or
 * encrypted; RSA, EC or Ed25519).
 */
public final class TlsSocketFactory {

    private static final PemTls.Names NAMES = new PemTls.Names("mqtt.tls", "mqtt.tls.caFile", "mqtt.tls.certFile",
            "mqtt.tls.keyFile", "keyPassphraseEnv or keyPassphraseFile");

    private TlsSocketFactory() {
    }

    public static SSLSocketFactory create(TlsConfig tls, Map<String, String> environment) throws ConfigException {
        char[] passphrase = tls.certFile() != null && tls.keyPassphrase() != null
                ? tls.keyPassphrase().resolve(environment) : null;
        try {
            return PemTls.socketFactory(Path.of(tls.caFile()), tls.certFile() == null ? null : Path.of(tls.certFile()),
                    tls.keyFile() == null ? null : Path.of(tls.keyFile()), passphrase, NAMES);
        } catch (PemTlsException e) {
            throw new ConfigException(e.getMessage(), e);
        }
    }
}
