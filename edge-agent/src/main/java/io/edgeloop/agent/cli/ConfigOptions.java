package io.edgeloop.agent.cli;

import io.edgeloop.agent.config.AgentConfig;
import io.edgeloop.agent.config.CameraConfig;
import io.edgeloop.agent.config.ConfigException;
import io.edgeloop.agent.config.ConfigLoader;
import io.edgeloop.agent.config.SourceConfig;
import io.edgeloop.agent.source.SourceCheck;
import io.edgeloop.protocol.id.Ids;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The options shared by {@code run} and {@code check}: the config file and overrides of common settings. Paths on
 * the command line are relative to the working directory; paths inside the config file to the file's folder.
 */
public final class ConfigOptions {

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "YAML agent configuration")
    Path config;

    @Option(names = "--model", paramLabel = "FILE", description = "override model.path")
    String model;

    @Option(names = "--broker", paramLabel = "URI", description = "override mqtt.broker (tcp://host:port)")
    String broker;

    @Option(names = "--device-id", paramLabel = "ID", description = "override deviceId")
    String deviceId;

    @Option(names = "--source", paramLabel = "TYPE:WHERE",
            description = {"replace the cameras by one camera 'cam0' reading", "replay:DIR, folder:DIR, mjpeg:URL,",
                    "http-snapshot:URL or ffmpeg:INPUT"})
    String source;

    /**
     * Loads the config and applies the overrides; any problem is a {@link ConfigException} naming the option or
     * the config key, the bad value and what is allowed.
     */
    AgentConfig load() throws ConfigException {
        AgentConfig loaded = new ConfigLoader().load(existing("--config", config.toString(),
                "a YAML agent configuration file (examples in devices/profiles/)"));
        if (model != null) {
            existing("--model", model, "an ONNX model file");
        }
        if (deviceId != null) {
            try {
                Ids.require("--device-id", deviceId);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(e.getMessage(), e);
            }
        }
        if (broker != null) {
            try {
                loaded.mqtt().withBroker(broker);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("--broker: " + e.getMessage(), e);
            }
        }
        List<CameraConfig> cameras = source == null ? null : List.of(camera(source));
        return loaded.withOverrides(deviceId, model, broker, cameras);
    }

    /** The path of a file named on the command line, which must exist. */
    private static Path existing(String option, String file, String allowed) throws ConfigException {
        Path path = Path.of(file);
        if (!Files.exists(path)) {
            String where = path.isAbsolute() ? "" : " (" + path.toAbsolutePath().normalize() + ")";
            throw new ConfigException(option + " is '" + file + "'" + where + ": no such file, allowed " + allowed);
        }
        return path;
    }

    static CameraConfig camera(String spec) throws ConfigException {
        int colon = spec.indexOf(':');
        if (colon < 1) {
            throw new ConfigException("--source is '" + spec + "', allowed TYPE:WHERE with TYPE one of "
                    + SourceConfig.TYPES);
        }
        String type = spec.substring(0, colon);
        String location = spec.substring(colon + 1);
        try {
            SourceConfig source = switch (type) {
                case "replay" -> new SourceConfig.Replay(location, null, null);
                case "folder" -> new SourceConfig.Folder(location, null, null, null);
                case "http-snapshot" -> new SourceConfig.HttpSnapshot(location, null, null, null);
                case "mjpeg" -> new SourceConfig.Mjpeg(location, null, null, null);
                case "ffmpeg" -> new SourceConfig.Ffmpeg(location, null, null, null, null);
                default -> throw new ConfigException("--source type is '" + type + "', allowed one of "
                        + SourceConfig.TYPES);
            };
            SourceCheck.check("--source", source);
            return new CameraConfig("cam0", source);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--source: " + e.getMessage(), e);
        }
    }
}
