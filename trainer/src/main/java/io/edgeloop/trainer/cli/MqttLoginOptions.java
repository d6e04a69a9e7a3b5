package io.edgeloop.trainer.cli;

import io.edgeloop.trainer.collect.MqttCredentials;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The MQTT login options every workstation command that talks to the broker shares ({@code --username} with
 * {@code --password-env} or {@code --password-file}); the password itself never appears on the command line.
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

    /**
     * The credentials the options name.
     *
     * @throws IllegalArgumentException when the options contradict each other, the variable is unset or the password
     *                                  file cannot be read (named, with why)
     */
    public MqttCredentials credentials(Map<String, String> environment) {
        try {
            return MqttCredentials.fromOptions(username, passwordEnv, passwordFile, environment);
        } catch (IOException e) {
            String why = e instanceof AccessDeniedException ? "permission denied" : e.getMessage();
            throw new IllegalArgumentException("--password-file " + passwordFile + " cannot be read (" + why
                    + "), allowed a readable file with the password on its first line", e);
        }
    }
}
