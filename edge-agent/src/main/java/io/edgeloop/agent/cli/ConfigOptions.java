package io.edgeloop.agent.cli;

import io.edgeloop.agent.config.AgentConfig;
import io.edgeloop.agent.config.CameraConfig;
import io.edgeloop.agent.config.ConfigException;
import io.edgeloop.agent.config.ConfigLoader;
import io.edgeloop.agent.config.SourceConfig;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** The options shared by {@code run} and {@code check}: the config file and overrides of common settings. */
public final class ConfigOptions {

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "YAML agent configuration")
    Path config;

    @Option(names = "--model", paramLabel = "FILE", description = "override model.path")
    String model;

    @Option(names = "--broker", paramLabel = "URI", description = "override mqtt.broker (tcp://host:port)")
    String broker;

    @Option(names = "--device-id", paramLabel = "ID", description = "override deviceId")
    String deviceId;

    @Option(names = "--source", paramLabel = "TYPE:LOCATION",
            description = "replace the cameras by one camera 'cam0' reading replay:DIR, folder:DIR, "
                    + "http-snapshot:URL, mjpeg:URL or ffmpeg:INPUT")
    String source;

    /** Loads the config and applies the overrides; any problem is a {@link ConfigException}. */
    AgentConfig load() throws ConfigException {
        AgentConfig loaded = new ConfigLoader().load(config);
        try {
            return loaded.withOverrides(deviceId, model, broker, source == null ? null : List.of(camera(source)));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("command line: " + e.getMessage(), e);
        }
    }

    static CameraConfig camera(String spec) throws ConfigException {
        int colon = spec.indexOf(':');
        if (colon < 1) {
            throw new ConfigException("--source is '" + spec + "', allowed TYPE:LOCATION with TYPE one of "
                    + SourceConfig.TYPES);
        }
        String type = spec.substring(0, colon);
        String location = spec.substring(colon + 1);
        SourceConfig source = switch (type) {
            case "replay" -> new SourceConfig.Replay(location, null, null);
            case "folder" -> new SourceConfig.Folder(location, null, null, null);
            case "http-snapshot" -> new SourceConfig.HttpSnapshot(location, null, null, null);
            case "mjpeg" -> new SourceConfig.Mjpeg(location, null, null, null);
            case "ffmpeg" -> new SourceConfig.Ffmpeg(location, null, null, null, null);
            default -> throw new ConfigException("--source type is '" + type + "', allowed one of "
                    + SourceConfig.TYPES);
        };
        return new CameraConfig("cam0", source);
    }
}
