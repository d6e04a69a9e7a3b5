/**
 * Deploying models to the fleet: signing keys ({@code trainer keys}), signed deploy commands published as retained
 * MQTT messages ({@code trainer deploy}), following the devices' deploy status until the model is active or refused,
 * staged rollouts to a group or a canary first ({@link io.edgeloop.trainer.deploy.Rollout}, per-device commands,
 * halted by a rollback), and a small loopback HTTP server for model files ({@code trainer serve-models}).
 */
package io.edgeloop.trainer.deploy;
