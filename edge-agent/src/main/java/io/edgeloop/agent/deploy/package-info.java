/**
 * The device side of signed model deployment: deploy commands from MQTT are fetched, verified (size, SHA-256,
 * Ed25519 signature against the trust store), stored under the state directory, smoke-tested and then swapped in
 * without stopping the cameras; the previous model stays on disk and the current one survives restarts. A shadow
 * deploy runs the candidate beside the active model first ({@link io.edgeloop.agent.deploy.ShadowSession}).
 */
package io.edgeloop.agent.deploy;
