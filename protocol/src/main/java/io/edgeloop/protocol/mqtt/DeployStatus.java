package io.edgeloop.protocol.mqtt;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * Progress of a deploy on one device, retained on {@code <prefix>/<device>/deploy/status} (the last state wins).
 *
 * @param schema payload version, {@value Payloads#SCHEMA}
 * @param device device id
 * @param model  the model being deployed (name, version, and the file SHA-256 from the command)
 * @param state  where the deploy is
 * @param reason why, for {@code rejected} and {@code rolled-back} (required there); optional detail otherwise
 * @param at     when the device entered this state
 * @param shadow for a shadow deploy: the comparison so far ({@code shadowing}) or at its end ({@code active},
 *               {@code shadow-dropped}); absent otherwise
 */
public record DeployStatus(
        @JsonProperty(required = true) int schema,
        String device,
        ModelRef model,
        DeployState state,
        String reason,
        Instant at,
        ShadowReport shadow) implements Payload {

    public DeployStatus {
        Fields.schema(schema);
        Fields.device("device", device);
        Fields.present("model", model, "{name, version, sha256}");
        Fields.present("state", state,
                "one of [received, verifying, smoke-testing, shadowing, active, rejected, rolled-back,"
                        + " shadow-dropped]");
        if (reason == null && state.isFailure()) {
            throw new IllegalArgumentException("reason is missing, allowed a non-blank string of at most 1024"
                    + " characters (required when state is rejected, rolled-back or shadow-dropped)");
        }
        if (reason != null) {
            Fields.text("reason", reason, 1024);
        }
        Fields.instant("at", at);
    }

    /** A status without a shadow report. */
    public DeployStatus(int schema, String device, ModelRef model, DeployState state, String reason, Instant at) {
        this(schema, device, model, state, reason, at, null);
    }
}
