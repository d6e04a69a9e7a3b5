package io.edgeloop.protocol.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * Builds a TLS socket factory from PEM files: the CA certificate(s) to trust (only those: not the JVM's default
 * trust store) and, for mutual TLS, a client certificate chain and its PKCS#8 private key (plain or encrypted; RSA,
 * EC or Ed25519). Error messages name each file by the setting that gave it ({@link Names}).
 */
public final class PemTls {

    /**
     * How the caller spells its settings, for the messages.
     *
     * @param prefix     what failed as a whole, e.g. {@code mqtt.tls}
     * @param ca         the CA file's setting
     * @param cert       the client certificate's setting
     * @param key        the client key's setting
     * @param passphrase how to give the key's passphrase, e.g. {@code keyPassphraseEnv or keyPassphraseFile}
     */
    public record Names(String prefix, String ca, String cert, String key, String passphrase) {

        public Names {
            Objects.requireNonNull(prefix, "prefix");
            Objects.requireNonNull(ca, "ca");
            Objects.requireNonNull(cert, "cert");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(passphrase, "passphrase");
        }
    }

    private PemTls() {
    }

    /**
     * The socket factory.
     *
     * @param ca         PEM file of the CA certificate(s) to trust
     * @param cert       PEM client certificate (chain), or null without a client certificate
     * @param key        PKCS#8 PEM key of {@code cert}, or null (only with {@code cert} null)
     * @param passphrase passphrase of an encrypted key, or null
     * @throws PemTlsException naming the setting, the file and the problem
     */
    public static SSLSocketFactory socketFactory(Path ca, Path cert, Path key, char[] passphrase, Names names)
            throws PemTlsException {
        Objects.requireNonNull(ca, "ca");
        if ((cert == null) != (key == null)) {
            throw new PemTlsException(names.cert() + " and " + names.key() + " must be set together, got "
                    + names.cert() + "=" + cert + ", " + names.key() + "=" + key);
        }
        try {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int i = 0;
            for (Certificate c : certificates(ca, names.ca())) {
                trust.setCertificateEntry("ca" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            KeyManagerFactory kmf = null;
            if (cert != null) {
                List<Certificate> chain = certificates(cert, names.cert());
                PrivateKey privateKey = privateKey(key, passphrase, names);
                KeyStore keys = KeyStore.getInstance(KeyStore.getDefaultType());
                keys.load(null, null);
                char[] storePassword = new char[0];
                keys.setKeyEntry("client", privateKey, storePassword, chain.toArray(new Certificate[0]));
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, storePassword);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (GeneralSecurityException | IOException e) {
            throw new PemTlsException(names.prefix() + ": cannot set up TLS: " + e.getMessage(), e);
        }
    }

    private static List<Certificate> certificates(Path file, String key) throws PemTlsException {
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) {
                throw new PemTlsException(key + ": " + file + " holds no PEM certificate");
            }
            return new ArrayList<>(certs);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new PemTlsException(key + " is '" + file + "': no such file, allowed a PEM file of X.509 "
                    + "certificates", e);
        } catch (IOException | GeneralSecurityException e) {
            throw new PemTlsException(key + ": " + file + " is not a readable PEM certificate file ("
                    + e.getMessage() + ")", e);
        }
    }

    static PrivateKey privateKey(Path file, char[] passphrase, Names names) throws PemTlsException {
        String pem;
        try {
            pem = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new PemTlsException(names.key() + ": cannot read " + file + " (" + e.getMessage() + ")", e);
        }
        boolean encrypted = pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----");
        if (!encrypted && !pem.contains("-----BEGIN PRIVATE KEY-----")) {
            throw new PemTlsException(names.key() + ": " + file + " is not a PKCS#8 PEM key (BEGIN PRIVATE KEY or "
                    + "BEGIN ENCRYPTED PRIVATE KEY); convert with: openssl pkcs8 -topk8 -in key.pem -out key.p8.pem");
        }
        String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        try {
            byte[] der = Base64.getDecoder().decode(base64);
            PKCS8EncodedKeySpec spec;
            if (encrypted) {
                if (passphrase == null) {
                    throw new PemTlsException(names.key() + ": " + file + " is encrypted; set "
                            + names.passphrase());
                }
                EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(der);
                // for PBES2 (openssl's default) the JDK names the real scheme only in the parameters,
                // e.g. PBEWithHmacSHA256AndAES_256
                java.security.AlgorithmParameters params = info.getAlgParameters();
                String algorithm = params != null && info.getAlgName().equalsIgnoreCase("PBES2")
                        ? params.toString() : info.getAlgName();
                SecretKeyFactory skf = SecretKeyFactory.getInstance(algorithm);
                Cipher cipher = Cipher.getInstance(algorithm);
                cipher.init(Cipher.DECRYPT_MODE, skf.generateSecret(new PBEKeySpec(passphrase)), params);
                spec = info.getKeySpec(cipher);
            } else {
                spec = new PKCS8EncodedKeySpec(der);
            }
            for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
                try {
                    return KeyFactory.getInstance(algorithm).generatePrivate(spec);
                } catch (GeneralSecurityException e) {
                    // try the next algorithm
                }
            }
            throw new PemTlsException(names.key() + ": " + file + " holds a key that is not RSA, EC or Ed25519");
        } catch (IllegalArgumentException | IOException | GeneralSecurityException e) {
            throw new PemTlsException(names.key() + ": cannot read the key in " + file + " (" + e.getMessage()
                    + ")", e);
        }
    }
}
