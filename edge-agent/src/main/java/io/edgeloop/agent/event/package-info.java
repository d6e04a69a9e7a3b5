/**
 * Turning the agent's results into messages of the shared MQTT contract ({@code io.edgeloop.protocol.mqtt}):
 * classification events, hard examples, status and metrics, each with its topic, QoS and retain flag.
 */
package io.edgeloop.agent.event;
