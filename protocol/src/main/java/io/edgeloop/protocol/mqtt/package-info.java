/**
 * The MQTT message contract between agents, collectors and dashboards: the topic scheme ({@link
 * io.edgeloop.protocol.mqtt.Topics}), the JSON payload records (each starting with a {@code schema} version), and
 * the codec ({@link io.edgeloop.protocol.mqtt.Payloads}) that turns a malformed message into a
 * {@link io.edgeloop.protocol.mqtt.MessageRejectedException} a consumer can count and skip. Documented in
 * {@code docs/mqtt.md}, with JSON Schemas in {@code docs/schemas/}.
 */
package io.edgeloop.protocol.mqtt;
