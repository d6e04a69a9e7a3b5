package io.edgeloop.agent.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where a secret comes from: an environment variable or a file (e.g. a systemd credential), never the config file
 * itself. Resolved at start; the value is never logged ({@link #toString()} shows only the source).
 *
 * @param env  name of an environment variable holding the secret, or null
 * @param file path of a file holding the secret (trailing newline stripped), or null
 */
public record SecretRef(String env, String file) {

    public SecretRef {
        env = ConfigValues.optional(env);
        file = ConfigValues.optional(file);
    }

    /** Builds a reference from the pair of config keys {@code <prefix>Env} / {@code <prefix>File}. */
    static SecretRef of(String field, String env, String file) {
        if (env != null && !env.isBlank() && file != null && !file.isBlank()) {
            throw new IllegalArgumentException(field + "Env and " + field + "File are both set, allowed only one");
        }
        SecretRef ref = new SecretRef(env, file);
        return ref.isEmpty() ? null : ref;
    }

    boolean isEmpty() {
        return env == null && file == null;
    }

    /**
     * Reads the secret.
     *
     * @param environment the process environment (a parameter so tests can supply their own)
     */
    public char[] resolve(Map<String, String> environment) throws ConfigException {
        if (env != null) {
            String value = environment.get(env);
            if (value == null) {
                throw new ConfigException("environment variable " + env + " (named in the config) is not set");
            }
            return value.toCharArray();
        }
        try {
            String value = Files.readString(Path.of(file), StandardCharsets.UTF_8);
            if (value.endsWith("\n")) {
                value = value.substring(0, value.length() - 1);
            }
            return value.toCharArray();
        } catch (java.nio.file.NoSuchFileException e) {
            // systemd's LoadCredential= files exist only inside the service
            String hint = file.startsWith("/run/credentials/") ? " (a systemd credential, which exists only inside "
                    + "the service: by hand, name an environment variable (the ...Env key) or another file)" : "";
            throw new ConfigException("secret file " + file + " does not exist" + hint, e);
        } catch (java.nio.file.AccessDeniedException e) {
            throw new ConfigException("secret file " + file + " cannot be read (permission denied)", e);
        } catch (IOException e) {
            throw new ConfigException("secret file " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return env != null ? "env:" + env : "file:" + file;
    }
}
