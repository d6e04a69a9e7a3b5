package io.edgeloop.trainer.deploy;

import io.edgeloop.protocol.id.Ids;
import io.edgeloop.protocol.mqtt.Topics;
import java.util.Optional;

/**
 * Who a deploy is for: one device, or the whole fleet ({@code device} absent).
 *
 * @param device device id; {@code null} for the fleet
 */
public record DeployTarget(String device) {

    public DeployTarget {
        if (device != null) {
            Ids.requireDevice(device);
        }
    }

    /** Every device (the retained fleet-wide command). */
    public static DeployTarget fleet() {
        return new DeployTarget(null);
    }

    /** One device. */
    public static DeployTarget device(String id) {
        return new DeployTarget(Ids.requireDevice(id));
    }

    /** Whether this is the fleet. */
    public boolean isFleet() {
        return device == null;
    }

    /** The device, if not the fleet. */
    public Optional<String> deviceId() {
        return Optional.ofNullable(device);
    }

    /** Where the command is published. */
    public String commandTopic(Topics topics) {
        return isFleet() ? topics.fleetDeploy() : topics.deploy(device);
    }

    @Override
    public String toString() {
        return isFleet() ? "the fleet" : device;
    }
}
