package io.edgeloop.protocol.mqtt;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Where a device is in applying a deploy command; the last state is retained on the deploy status topic. */
public enum DeployState {
    /** Command received and accepted for processing. */
    @JsonProperty("received")
    RECEIVED,
    /** Downloading and checking size, SHA-256 and Ed25519 signature. */
    @JsonProperty("verifying")
    VERIFYING,
    /** Running the smoke test on the new model before switching. */
    @JsonProperty("smoke-testing")
    SMOKE_TESTING,
    /** The model runs as a shadow beside the active one on sampled frames; reports carry the agreement. */
    @JsonProperty("shadowing")
    SHADOWING,
    /** The new model is serving. */
    @JsonProperty("active")
    ACTIVE,
    /** The model was refused (bad hash, bad signature, invalid card, failed smoke test); the old one serves. */
    @JsonProperty("rejected")
    REJECTED,
    /** The new model failed after activation and the previous one was restored. */
    @JsonProperty("rolled-back")
    ROLLED_BACK,
    /** The shadow candidate was dropped (its rule failed, it was aborted or replaced); the active model serves. */
    @JsonProperty("shadow-dropped")
    SHADOW_DROPPED;

    /** Whether this state needs a {@code reason}. */
    public boolean isFailure() {
        return this == REJECTED || this == ROLLED_BACK || this == SHADOW_DROPPED;
    }
}
