package io.edgeloop.trainer.warning;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One thing a user should know about a run before trusting its result.
 *
 * @param code    what kind of problem (its {@link WarningCode#id()} is machine-readable)
 * @param message what was found, with the measured numbers
 * @param advice  what to do about it
 */
public record RunWarning(WarningCode code, String message, String advice) {

    public RunWarning {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(advice, "advice");
    }

    public Severity severity() {
        return code.severity();
    }

    /** Two terminal lines: {@code warning (random-base): …} and {@code   what to do: …}. */
    public String toText() {
        return severity().id() + " (" + code.id() + "): " + message + "\n  what to do: " + advice;
    }

    /** The form written to {@code metrics.json}: code, severity, message, advice. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("code", code.id());
        m.put("severity", severity().id());
        m.put("message", message);
        m.put("advice", advice);
        return m;
    }
}
