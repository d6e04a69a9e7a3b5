package io.edgeloop.protocol.mqtt;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/**
 * Retained on {@code <prefix>/<device>/status}: the agent's birth message ({@code online}) after every connect, and
 * its last will ({@code offline}), registered at connect time.
 *
 * @param schema       payload version, {@value Payloads#SCHEMA}
 * @param device       device id
 * @param state        online or offline
 * @param at           when this message was made (for the last will: when it was registered)
 * @param startedAt    when the agent process started
 * @param agentVersion agent software version
 * @param model        active model with its file SHA-256; {@code null} while no model is active
 * @param cameras      ids of the cameras this agent runs (may be empty)
 * @param groups       the device's rollout groups from its config ({@code canary}, {@code lobby}); empty when none,
 *                     and then omitted from the JSON (optional: older agents do not send it)
 */
public record DeviceStatus(
        @JsonProperty(required = true) int schema,
        String device,
        DeviceState state,
        Instant at,
        Instant startedAt,
        String agentVersion,
        ModelRef model,
        List<String> cameras,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> groups) implements Payload {

    public DeviceStatus {
        Fields.schema(schema);
        Fields.device("device", device);
        Fields.present("state", state, "one of [online, offline]");
        Fields.instant("at", at);
        Fields.instant("startedAt", startedAt);
        Fields.text("agentVersion", agentVersion, 64);
        cameras = Fields.ids("cameras", cameras);
        groups = groups == null ? List.of() : Fields.ids("groups", groups);
    }

    /** A status without groups (as agents before groups send it). */
    public DeviceStatus(int schema, String device, DeviceState state, Instant at, Instant startedAt,
                        String agentVersion, ModelRef model, List<String> cameras) {
        this(schema, device, state, at, startedAt, agentVersion, model, cameras, List.of());
    }

    /** Whether the device is in {@code group}. */
    public boolean inGroup(String group) {
        return groups.contains(group);
    }

    /** The birth message: {@code online}, made now ({@code at}). */
    public static DeviceStatus online(String device, Instant at, Instant startedAt, String agentVersion,
                                      ModelRef model, List<String> cameras) {
        return new DeviceStatus(Payloads.SCHEMA, device, DeviceState.ONLINE, at, startedAt, agentVersion, model,
                cameras, List.of());
    }

    /** The last will registered at connect time: the same status with state {@code offline}. */
    public DeviceStatus asOffline() {
        return new DeviceStatus(schema, device, DeviceState.OFFLINE, at, startedAt, agentVersion, model, cameras,
                groups);
    }
}
