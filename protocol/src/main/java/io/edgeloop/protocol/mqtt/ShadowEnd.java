package io.edgeloop.protocol.mqtt;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Ends a running shadow early: a deploy command for the shadow's model with {@code end} set. */
public enum ShadowEnd {
    /** Promote the candidate now, through the normal switch (smoke test, activation, health check). */
    @JsonProperty("promote")
    PROMOTE,
    /** Drop the candidate now; the active model keeps serving. */
    @JsonProperty("abort")
    ABORT
}
