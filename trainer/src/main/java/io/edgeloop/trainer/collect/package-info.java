/**
 * The hard-example collector: subscribes to the fleet's hard examples over MQTT 5 (a shared subscription, so
 * collectors scale out), validates each one, drops exact and near duplicates, and stores the rest in an on-disk
 * {@link io.edgeloop.trainer.collect.Inbox} (JPEG + JSON sidecar) before acknowledging it. The collector can also
 * subscribe to the devices' metrics and hand them to a {@link io.edgeloop.trainer.collect.MetricsSink} (drift
 * telemetry, recorded by the {@code fleet} package).
 */
package io.edgeloop.trainer.collect;
