package io.edgeloop.agent.config;

/** The configuration is unusable; the message names the key path, the bad value and what is allowed. */
public final class ConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
