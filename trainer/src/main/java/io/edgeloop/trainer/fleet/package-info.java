/**
 * Drift telemetry of the fleet: the per-camera class counts and confidence histograms devices put in their metrics
 * messages, recorded as they arrive ({@link io.edgeloop.trainer.fleet.TelemetryLog}: one JSON line per message and
 * camera, bounded per camera) and compared, in time windows, with the training distribution a run wrote into its
 * {@code metrics.json} ({@link io.edgeloop.trainer.fleet.TrainingDistribution}): class mix by Jensen–Shannon
 * divergence ({@link io.edgeloop.trainer.fleet.Divergence}), mean confidence and its histogram, and a flag with the
 * reason for cameras that need attention ({@link io.edgeloop.trainer.fleet.DriftAnalysis}). Documented in
 * {@code docs/fleet.md}.
 */
package io.edgeloop.trainer.fleet;
