package io.edgeloop.agent.config;

import io.edgeloop.protocol.id.Ids;

/**
 * One camera: an id (a topic level) and its frame source.
 *
 * @param id     camera id, unique within the agent
 * @param source where frames come from
 */
public record CameraConfig(String id, SourceConfig source) {

    public CameraConfig {
        Ids.require("id", id);
        if (source == null) {
            throw new IllegalArgumentException("source is missing, allowed a source with type one of "
                    + SourceConfig.TYPES);
        }
    }
}
