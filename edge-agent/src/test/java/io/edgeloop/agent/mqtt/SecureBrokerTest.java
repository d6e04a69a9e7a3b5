package io.edgeloop.agent.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeloop.agent.config.ConfigException;
import io.edgeloop.agent.config.TlsConfig;
import io.edgeloop.protocol.testing.Mosquitto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS (server and client certificates, encrypted PKCS#8 key) and username/password against a real mosquitto;
 * certificates are generated with openssl for each run.
 */
class SecureBrokerTest {

    @TempDir
    Path tmp;

    private void openssl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(tmp.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("openssl " + String.join(" ", args) + " failed: " + out);
        }
    }

    private void certificates() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl not installed");
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
                "-subj", "/CN=edgeloop test CA");
        Files.writeString(tmp.resolve("san.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj",
                "/CN=localhost");
        openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out",
                "server.pem", "-days", "2", "-extfile", "san.ext");
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "client.key",
                "-out", "client.csr", "-subj", "/CN=dev1");
        openssl("x509", "-req", "-in", "client.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out",
                "client.pem", "-days", "2");
        openssl("pkcs8", "-topk8", "-in", "client.key", "-out", "client.p8.pem", "-v2", "aes-256-cbc", "-passout",
                "pass:key-secret");
    }

    private Process mosquitto(int port, String extra) throws Exception {
        Mosquitto.assumeInstalled();
        Path conf = tmp.resolve("m.conf");
        // started as root, mosquitto drops to user "mosquitto", which cannot read the test's private temp files
        Files.writeString(conf, "user " + System.getProperty("user.name") + "\nlistener " + port + " 127.0.0.1\n"
                + extra);
        Process p = new ProcessBuilder(Mosquitto.BINARY.toString(), "-c", conf.toString()).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("m.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline && p.isAlive()) {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                return p;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        p.destroyForcibly();
        throw new IOException("mosquitto did not start: " + Files.readString(tmp.resolve("m.log")));
    }

    private static LinkSettings settings(String uri, String user, char[] password, SSLSocketFactory tls) {
        return new LinkSettings(uri, "dev1", user, password, tls, 10, 3, 60, 100, 400, "edgeloop/dev1/status");
    }

    @Test
    void mutualTlsWithAnEncryptedClientKey() throws Exception {
        certificates();
        int port = Mosquitto.freePort();
        Process broker = mosquitto(port, "allow_anonymous true\ncafile " + tmp.resolve("ca.pem") + "\ncertfile "
                + tmp.resolve("server.pem") + "\nkeyfile " + tmp.resolve("server.key")
                        + "\nrequire_certificate true\n");
        try {
            TlsConfig tls = new TlsConfig(tmp.resolve("ca.pem").toString(), tmp.resolve("client.pem").toString(),
                    tmp.resolve("client.p8.pem").toString(), "KEY_PASS", null, null);
            SSLSocketFactory factory = TlsSocketFactory.create(tls, Map.of("KEY_PASS", "key-secret"));
            String uri = "ssl://127.0.0.1:" + port;
            assertNull(BrokerProbe.probe(settings(uri, null, null, factory)));
            // without a client certificate the broker refuses the handshake
            SSLSocketFactory noClientCert = TlsSocketFactory.create(new TlsConfig(tmp.resolve("ca.pem").toString(),
                    null, null, null, null, null), Map.of());
            assertTrue(BrokerProbe.probe(settings(uri, null, null, noClientCert)) != null);
        } finally {
            broker.destroy();
            broker.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void tlsErrorsNameTheFileAndTheFix() throws Exception {
        certificates();
        ConfigException wrong = assertThrows(ConfigException.class, () -> TlsSocketFactory.create(new TlsConfig(
                tmp.resolve("ca.pem").toString(), tmp.resolve("client.pem").toString(),
                tmp.resolve("client.key").toString().replace("client.key", "server.csr"), null, null, null), Map.of()));
        assertEquals("mqtt.tls.keyFile: " + tmp.resolve("server.csr")
                + " is not a PKCS#8 PEM key (BEGIN PRIVATE KEY or "
                + "BEGIN ENCRYPTED PRIVATE KEY); convert with: openssl pkcs8 -topk8 -in key.pem -out key.p8.pem",
                wrong.getMessage());
        ConfigException noPass = assertThrows(ConfigException.class, () -> TlsSocketFactory.create(new TlsConfig(
                tmp.resolve("ca.pem").toString(), tmp.resolve("client.pem").toString(),
                tmp.resolve("client.p8.pem").toString(), null, null, null), Map.of()));
        assertEquals("mqtt.tls.keyFile: " + tmp.resolve("client.p8.pem")
                + " is encrypted; set keyPassphraseEnv or keyPassphraseFile", noPass.getMessage());
        ConfigException ca = assertThrows(ConfigException.class, () -> TlsSocketFactory.create(new TlsConfig(
                tmp.resolve("san.ext").toString(), null, null, null, null, null), Map.of()));
        assertEquals("mqtt.tls.caFile: " + tmp.resolve("san.ext")
                + " is not a readable PEM certificate file (No certificate data found)",
                ca.getMessage());
    }

    @Test
    void usernameAndPassword() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/mosquitto_passwd")), "mosquitto_passwd missing");
        Path passwords = tmp.resolve("passwd");
        Process pw = new ProcessBuilder("/usr/bin/mosquitto_passwd", "-b", "-c", passwords.toString(), "agent",
                "s3cret").redirectErrorStream(true).start();
        assertTrue(pw.waitFor(10, TimeUnit.SECONDS) && pw.exitValue() == 0);
        int port = Mosquitto.freePort();
        Process broker = mosquitto(port, "allow_anonymous false\npassword_file " + passwords + "\n");
        try {
            String uri = "tcp://127.0.0.1:" + port;
            assertNull(BrokerProbe.probe(settings(uri, "agent", "s3cret".toCharArray(), null)));
            String refused = BrokerProbe.probe(settings(uri, "agent", "wrong".toCharArray(), null));
            assertEquals("Not authorized. (code 135)", refused);
            assertTrue(!settings(uri, "agent", "s3cret".toCharArray(), null).toString().contains("s3cret"));
        } finally {
            broker.destroy();
            broker.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
