/**
 * Per-camera counters and latency histograms, published periodically over MQTT, and per-model
 * {@link io.edgeloop.agent.metrics.PredictionTally tallies} of top-1 classes and confidences for drift telemetry.
 */
package io.edgeloop.agent.metrics;
