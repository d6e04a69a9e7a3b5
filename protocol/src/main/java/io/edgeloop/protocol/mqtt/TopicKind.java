package io.edgeloop.protocol.mqtt;

/**
 * The kinds of edgeloop topics, with their payload type and delivery conventions (QoS and retain flag).
 */
public enum TopicKind {
    /** {@code <prefix>/<device>/status}: birth and last will, retained. */
    STATUS(DeviceStatus.class, 1, true),
    /** {@code <prefix>/<device>/<camera>/events}: one message per classified frame. */
    EVENTS(ClassificationEvent.class, 1, false),
    /** {@code <prefix>/<device>/metrics}: periodic health; a lost sample is harmless. */
    METRICS(DeviceMetrics.class, 0, false),
    /** {@code <prefix>/<device>/<camera>/hard}: frames for labelling. */
    HARD(HardExample.class, 1, false),
    /** {@code <prefix>/<device>/deploy}: deploy command to one device, retained (desired state). */
    DEPLOY(DeployCommand.class, 1, true),
    /** {@code <prefix>/_fleet/deploy}: deploy command to every device, retained. */
    FLEET_DEPLOY(DeployCommand.class, 1, true),
    /** {@code <prefix>/<device>/deploy/status}: last deploy state of a device, retained. */
    DEPLOY_STATUS(DeployStatus.class, 1, true);

    private final Class<? extends Payload> payloadType;
    private final int qos;
    private final boolean retained;

    TopicKind(Class<? extends Payload> payloadType, int qos, boolean retained) {
        this.payloadType = payloadType;
        this.qos = qos;
        this.retained = retained;
    }

    /** The record carried on topics of this kind. */
    public Class<? extends Payload> payloadType() {
        return payloadType;
    }

    /** QoS to publish and subscribe with. */
    public int qos() {
        return qos;
    }

    /** Whether messages are published with the retain flag. */
    public boolean retained() {
        return retained;
    }

    /** Whether topics of this kind carry a camera level. */
    public boolean perCamera() {
        return this == EVENTS || this == HARD;
    }
}
