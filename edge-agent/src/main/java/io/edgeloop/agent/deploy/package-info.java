/**
 * Over-the-air model updates: deploy commands from MQTT, download, size/SHA-256/Ed25519 verification against the
 * trust store, smoke test, activation without restarting the agent, and deploy status reports.
 */
package io.edgeloop.agent.deploy;
