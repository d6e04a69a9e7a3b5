package io.edgeloop.agent.source;

import io.edgeloop.agent.config.ConfigException;
import io.edgeloop.agent.config.SourceConfig;
import io.edgeloop.protocol.preprocess.PreprocessSpec;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** Builds a camera's {@link FrameSource} from its config, resolving credentials from the environment or files. */
public final class SourceFactory {

    private final Map<String, String> environment;

    /** @param environment the process environment (a parameter for tests) */
    public SourceFactory(Map<String, String> environment) {
        this.environment = environment;
    }

    /**
     * @param preprocess the model's preprocessing (ffmpeg scales frames to its resize size)
     */
    public FrameSource create(String cameraId, SourceConfig config, PreprocessSpec preprocess)
            throws ConfigException {
        if (config instanceof SourceConfig.Folder f) {
            return new FolderSource(cameraId, Path.of(f.path()), f.after(),
                    f.moveTo() == null ? null : Path.of(f.moveTo()), f.pollMillis());
        }
        if (config instanceof SourceConfig.Replay r) {
            return new ReplaySource(cameraId, Path.of(r.path()), r.fps(), r.loop());
        }
        if (config instanceof SourceConfig.HttpSnapshot h) {
            return new HttpSnapshotSource(cameraId, URI.create(h.url()), h.fps(),
                    Duration.ofMillis(h.timeoutMillis()), auth(h.auth()));
        }
        if (config instanceof SourceConfig.Mjpeg m) {
            return new MjpegSource(cameraId, URI.create(m.url()), Duration.ofMillis(m.timeoutMillis()),
                    auth(m.auth()), m.maxFrameBytes());
        }
        SourceConfig.Ffmpeg f = (SourceConfig.Ffmpeg) config;
        return new FfmpegSource(cameraId, f.executable(), f.inputFormat(), f.inputOptions(), f.input(), f.fps(),
                preprocess);
    }

    private HttpAuth auth(SourceConfig.Auth auth) throws ConfigException {
        if (auth == null) {
            return null;
        }
        HttpAuth.Scheme scheme = auth.scheme() == SourceConfig.AuthScheme.DIGEST
                ? HttpAuth.Scheme.DIGEST : HttpAuth.Scheme.BASIC;
        return new HttpAuth(scheme, auth.username(), auth.password().resolve(environment));
    }
}
