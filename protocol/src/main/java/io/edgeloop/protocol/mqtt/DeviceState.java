package io.edgeloop.protocol.mqtt;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Whether an agent is connected: the birth message says online, the last will says offline. */
public enum DeviceState {
    @JsonProperty("online")
    ONLINE,
    @JsonProperty("offline")
    OFFLINE
}
