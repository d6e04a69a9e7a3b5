package io.edgeloop.protocol.mqtt;

/**
 * A JSON message body of the edgeloop MQTT contract. Every payload starts with its {@code schema} version, so a
 * consumer can reject a version it does not understand before reading anything else.
 */
public sealed interface Payload
        permits DeviceStatus, ClassificationEvent, DeviceMetrics, HardExample, DeployCommand, DeployStatus {

    /** Payload format version; this build reads and writes {@value Payloads#SCHEMA}. */
    int schema();
}
