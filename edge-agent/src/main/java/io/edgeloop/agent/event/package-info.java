/**
 * What the agent publishes and where: topics under the configured prefix and JSON payloads (classification events,
 * status, metrics, hard examples, Home Assistant discovery). Payloads carry a {@code schema} field with a version.
 * These mirror the shared protocol's topics and payloads and are replaced by {@code io.edgeloop.protocol.mqtt} once
 * that lands on main.
 */
package io.edgeloop.agent.event;
