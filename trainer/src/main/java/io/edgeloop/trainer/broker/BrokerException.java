package io.edgeloop.trainer.broker;

import java.io.IOException;

/**
 * The broker could not be reached, refused the connection or a subscription, or stopped answering. The message names
 * the broker's URI and what was tried: {@code cannot connect to broker tcp://host:1883 as client id c1: 3 attempts
 * failed, the last with: Unable to connect to server (Connection refused)}.
 */
public final class BrokerException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String brokerUri;

    public BrokerException(String brokerUri, String message, Throwable cause) {
        super(message, cause);
        this.brokerUri = brokerUri;
    }

    /** The broker concerned. */
    public String brokerUri() {
        return brokerUri;
    }

    /**
     * A Paho failure in words: its message and, when Paho wraps a socket error, that error's message too
     * ({@code Unable to connect to server (Connection refused)}).
     */
    public static String describe(Throwable mqttFailure) {
        String message = mqttFailure.getMessage() != null ? mqttFailure.getMessage() : mqttFailure.toString();
        Throwable cause = mqttFailure.getCause();
        String hint = "";
        for (Throwable t = mqttFailure; t != null; t = t.getCause()) {
            if (t instanceof java.security.cert.CertPathValidatorException
                    || t.getClass().getName().endsWith("SunCertPathBuilderException")) {
                hint = "; the broker's certificate is not signed by a CA this client trusts: give the fleet CA"
                        + " with --tls-ca FILE";
                break;
            }
        }
        if (cause != null && cause.getMessage() != null && !message.contains(cause.getMessage())) {
            return message + " (" + cause.getMessage() + ")" + hint;
        }
        return message + hint;
    }
}
