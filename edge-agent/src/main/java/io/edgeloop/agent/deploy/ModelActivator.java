package io.edgeloop.agent.deploy;

import io.edgeloop.agent.inference.ModelSpec;
import io.edgeloop.protocol.mqtt.ModelRef;

/** What the deployer needs from the running agent: the model serving now, and switching to a verified one. */
public interface ModelActivator {

    /** The model serving now. */
    ModelRef model();

    /** Switches to a verified, smoke-tested model; on failure the previous model keeps serving. */
    void activate(ModelSpec spec) throws Exception;
}
