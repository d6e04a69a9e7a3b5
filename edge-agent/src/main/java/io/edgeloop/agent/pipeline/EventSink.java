package io.edgeloop.agent.pipeline;

import io.edgeloop.agent.spool.SpooledMessage;
import java.io.IOException;

/** Where workers hand events and hard examples: the spool, delivered in order by the MQTT link. */
@FunctionalInterface
public interface EventSink {

    /** Accepts a message durably or throws. */
    void publish(SpooledMessage message) throws IOException;
}
