package io.edgeloop.trainer.deploy;

import io.edgeloop.protocol.mqtt.DeployCommand;
import io.edgeloop.protocol.mqtt.DeployState;
import io.edgeloop.protocol.mqtt.DeployStatus;
import io.edgeloop.protocol.mqtt.DeviceState;
import io.edgeloop.protocol.mqtt.DeviceStatus;
import io.edgeloop.protocol.mqtt.ModelRef;
import io.edgeloop.protocol.mqtt.ShadowReport;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Tracks where one deploy stands on its target devices from the status messages they publish. Only statuses for
 * this command's model (name, version and SHA-256) count. A retained status older than the command is stale
 * (from an earlier attempt) unless it says {@code active}: a device ignores a command for the model it already
 * runs, so its retained {@code active} is the final answer.
 *
 * <p>For one device the deploy is done when it reaches {@code active}, {@code rejected} or {@code rolled-back}. For
 * the fleet the expected devices are those seen online (retained birth status) plus any that report on this
 * model; it is done when every one of them reached a final state. Not thread-safe.
 */
public final class DeployProgress {

    private final DeployTarget target;
    private final DeployCommand command;
    private final Set<String> expected = new LinkedHashSet<>();
    private final Map<String, DeployStatus> latest = new LinkedHashMap<>();

    public DeployProgress(DeployTarget target, DeployCommand command) {
        this.target = Objects.requireNonNull(target, "target");
        this.command = Objects.requireNonNull(command, "command");
        target.deviceId().ifPresent(expected::add);
    }

    /**
     * Takes a deploy status; returns it if it is news about this deploy (to be shown), empty if it concerns another
     * model, another device, is stale or repeats the last state.
     */
    public Optional<DeployStatus> offer(DeployStatus status) {
        if (!target.isFleet() && !status.device().equals(target.device())) {
            return Optional.empty();
        }
        ModelRef m = status.model();
        if (!m.name().equals(command.name()) || !m.version().equals(command.version())
                || !command.sha256().equals(m.sha256())) {
            return Optional.empty();
        }
        if (status.at().isBefore(command.issuedAt()) && status.state() != DeployState.ACTIVE) {
            return Optional.empty();
        }
        DeployStatus previous = latest.get(status.device());
        // a shadow's interim reports repeat its state with new figures: each is news
        if (previous != null && previous.state() == status.state()
                && (status.state() != DeployState.SHADOWING || Objects.equals(previous.shadow(), status.shadow()))) {
            return Optional.empty();
        }
        if (previous != null && isFinal(previous.state())) {
            return Optional.empty();
        }
        expected.add(status.device());
        latest.put(status.device(), status);
        return Optional.of(status);
    }

    /** Takes a device's birth/will status: for a fleet deploy, online devices are expected to report. */
    public void offer(DeviceStatus status) {
        if (target.isFleet() && status.state() == DeviceState.ONLINE) {
            expected.add(status.device());
        }
    }

    /** Whether every expected device reached a final state (and there is at least one). */
    public boolean done() {
        if (expected.isEmpty()) {
            return false;
        }
        for (String device : expected) {
            DeployStatus s = latest.get(device);
            if (s == null || !isFinal(s.state())) {
                return false;
            }
        }
        return true;
    }

    /** Whether every expected device runs the model ({@code active}). */
    public boolean succeeded() {
        return done() && expected.stream().allMatch(d -> latest.get(d).state() == DeployState.ACTIVE);
    }

    /** The devices expected to report, in the order they became known. */
    public Set<String> expectedDevices() {
        return Set.copyOf(expected);
    }

    /** The last state shown for each device. */
    public Map<String, DeployStatus> latest() {
        return Map.copyOf(latest);
    }

    /** A one-line account: {@code gate-01 active, gate-02 verifying, gate-03 no status}. */
    public String describe() {
        if (expected.isEmpty()) {
            return "no device online or reporting";
        }
        StringBuilder b = new StringBuilder();
        for (String device : expected) {
            if (b.length() > 0) {
                b.append(", ");
            }
            DeployStatus s = latest.get(device);
            b.append(device).append(' ').append(s == null ? "no status" : describe(s));
        }
        return b.toString();
    }

    /** Whether a device stops reporting on a deploy in this state: {@code active} or a failure. */
    public static boolean isFinal(DeployState state) {
        return state == DeployState.ACTIVE || state.isFailure();
    }

    /** A state as printed: {@code active}, or {@code rejected (reason)}. */
    public static String describe(DeployStatus s) {
        String name = switch (s.state()) {
            case RECEIVED -> "received";
            case VERIFYING -> "verifying";
            case SMOKE_TESTING -> "smoke-testing";
            case SHADOWING -> "shadowing";
            case SHADOW_DROPPED -> "shadow-dropped";
            case ACTIVE -> "active";
            case REJECTED -> "rejected";
            case ROLLED_BACK -> "rolled-back";
        };
        String text = s.reason() == null ? name : name + " (" + s.reason() + ")";
        return s.shadow() == null ? text : text + "; " + describe(s.shadow());
    }

    /** A shadow report in one line: compared and skipped frames, agreement overall and per class. */
    public static String describe(ShadowReport r) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%d compared, %d skipped, agreement %.3f",
                r.compared(), r.skipped(), r.agreement()));
        r.perClass().forEach((label, c) -> b.append(String.format(Locale.ROOT, ", %s %.3f of %d", label,
                c.agreement(), c.frames())));
        return b.toString();
    }
}
