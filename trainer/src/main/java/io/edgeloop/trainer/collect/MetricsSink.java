package io.edgeloop.trainer.collect;

/**
 * Takes the metrics messages a collector also subscribes to ({@code <prefix>/+/metrics}, QoS 0: a lost sample is
 * harmless), for drift telemetry. Called on the client's callback thread; must not throw.
 */
@FunctionalInterface
public interface MetricsSink {

    /** One metrics message as received. */
    void accept(String topic, byte[] payload);
}
