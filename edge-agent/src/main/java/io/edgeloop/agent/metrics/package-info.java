/** Per-camera counters and latency histograms, published periodically over MQTT. */
package io.edgeloop.agent.metrics;
