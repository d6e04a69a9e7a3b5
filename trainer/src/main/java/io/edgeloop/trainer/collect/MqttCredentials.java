package io.edgeloop.trainer.collect;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import javax.net.SocketFactory;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;

/**
 * Username and password for the broker, or none (anonymous). The password comes from an environment variable or a
 * file, never from the command line (where other users could see it in the process list), and is never printed:
 * {@link #toString()} masks it. With TLS to a private CA (the fleet broker of {@code devices/broker/}) it also
 * carries the socket factory that trusts that CA and presents the client certificate, if any.
 *
 * @param username the user name, or {@code null} for anonymous access
 * @param password the password, or {@code null} (only with a user name)
 * @param tls      the TLS socket factory for {@code ssl://} brokers, or {@code null} for the JVM's default
 */
public record MqttCredentials(String username, String password, SocketFactory tls) {

    /** Anonymous access. */
    public static final MqttCredentials NONE = new MqttCredentials(null, null, null);

    /** A user name and password without TLS settings of its own. */
    public MqttCredentials(String username, String password) {
        this(username, password, null);
    }

    /** These credentials over TLS made with {@code factory}. */
    public MqttCredentials withTls(SocketFactory factory) {
        return new MqttCredentials(username, password, factory);
    }

    public MqttCredentials {
        if (username == null && password != null) {
            throw new IllegalArgumentException("a password was given without --username");
        }
        if (username != null && (username.isEmpty() || username.length() > 65_535)) {
            throw new IllegalArgumentException("--username is empty or too long, allowed 1-65535 characters");
        }
    }

    /**
     * Credentials from command-line options.
     *
     * @param username     user name or {@code null}
     * @param passwordEnv  name of an environment variable holding the password, or {@code null}
     * @param passwordFile file holding the password (first line), or {@code null}
     * @param environment  the environment to read from (the process's in production)
     * @throws IllegalArgumentException naming the option when the variable is unset or both sources are given
     */
    public static MqttCredentials fromOptions(String username, String passwordEnv, Path passwordFile,
                                              Map<String, String> environment) throws IOException {
        if (passwordEnv != null && passwordFile != null) {
            throw new IllegalArgumentException("--password-env and --password-file are both given, allowed one");
        }
        String password = null;
        if (passwordEnv != null) {
            password = environment.get(passwordEnv);
            if (password == null) {
                throw new IllegalArgumentException("--password-env names " + passwordEnv
                        + ", which is not set in the environment");
            }
        } else if (passwordFile != null) {
            if (!Files.isRegularFile(passwordFile)) {
                throw new IllegalArgumentException("--password-file " + passwordFile + " not found, allowed a readable"
                        + " file with the password on its first line");
            }
            password = Files.readString(passwordFile, StandardCharsets.UTF_8).lines().findFirst().orElse("");
        }
        if (username == null && password == null) {
            return NONE;
        }
        return new MqttCredentials(username, password);
    }

    /** Sets the user name and password on Paho connection options. */
    public void applyTo(MqttConnectionOptions options) {
        Objects.requireNonNull(options, "options");
        if (username != null) {
            options.setUserName(username);
        }
        if (password != null) {
            options.setPassword(password.getBytes(StandardCharsets.UTF_8));
        }
        if (tls != null) {
            options.setSocketFactory(tls);
        }
    }

    @Override
    public String toString() {
        return (username == null ? "anonymous" : username + (password == null ? "" : " (password set)"))
                + (tls == null ? "" : " over TLS");
    }
}
