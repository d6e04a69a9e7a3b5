package io.edgeloop.agent.config;

import io.edgeloop.protocol.id.Ids;

/**
 * One camera: an id (a topic level), its frame source and, optionally, its own hard-example settings.
 *
 * @param id           camera id, unique within the agent
 * @param source       where frames come from
 * @param hardExamples this camera's changes to the global {@code hardExamples} block, or null (none)
 */
public record CameraConfig(String id, SourceConfig source, CameraHardExamples hardExamples) {

    public CameraConfig {
        Ids.require("id", id);
        if (source == null) {
            throw new IllegalArgumentException("source is missing, allowed a source with type one of "
                    + SourceConfig.TYPES);
        }
    }

    /** A camera with the global hard-example settings. */
    public CameraConfig(String id, SourceConfig source) {
        this(id, source, null);
    }
}
