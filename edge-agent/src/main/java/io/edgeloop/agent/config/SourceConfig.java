package io.edgeloop.agent.config;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** Where a camera's frames come from; the YAML key {@code type} selects the kind. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = SourceConfig.Folder.class, name = "folder"),
        @JsonSubTypes.Type(value = SourceConfig.Replay.class, name = "replay"),
        @JsonSubTypes.Type(value = SourceConfig.HttpSnapshot.class, name = "http-snapshot"),
        @JsonSubTypes.Type(value = SourceConfig.Mjpeg.class, name = "mjpeg"),
        @JsonSubTypes.Type(value = SourceConfig.Ffmpeg.class, name = "ffmpeg")})
public sealed interface SourceConfig {

    /** The source kinds, as written in YAML. */
    String TYPES = "folder, replay, http-snapshot, mjpeg, ffmpeg";

    /** What to do with a file once it has been processed. */
    enum After { KEEP, MOVE, DELETE }

    /** HTTP authentication scheme. */
    enum AuthScheme { BASIC, DIGEST }

    /**
     * Watches a directory for new image files.
     *
     * @param path       directory to watch
     * @param after      keep, move (to {@code moveTo}) or delete processed files (default keep)
     * @param moveTo     directory for processed files when {@code after: move}
     * @param pollMillis how often the directory is scanned (10..60000, default 200)
     */
    record Folder(String path, After after, String moveTo, Integer pollMillis) implements SourceConfig {
        public Folder {
            path = ConfigValues.required("path", path, "a directory");
            after = after == null ? After.KEEP : after;
            moveTo = ConfigValues.optional(moveTo);
            if (after == After.MOVE && moveTo == null) {
                throw new IllegalArgumentException("moveTo is missing, required with after: move");
            }
            pollMillis = ConfigValues.intRange("pollMillis", pollMillis, 200, 10, 60_000);
        }
    }

    /**
     * Replays images from a directory (sorted by name) or an ImageFolder tree ({@code <label>/<image>}, the folder
     * name becomes the ground-truth label) at a frame rate.
     *
     * @param path directory
     * @param fps  frames per second (0 = as fast as the pipeline takes them; 0..1000, default 5)
     * @param loop start again after the last image (default false)
     */
    record Replay(String path, Double fps, Boolean loop) implements SourceConfig {
        public Replay {
            path = ConfigValues.required("path", path, "a directory of images or an ImageFolder tree");
            fps = ConfigValues.doubleRange("fps", fps, 5, 0, 1000);
            loop = loop != null && loop;
        }
    }

    /**
     * HTTP credentials.
     *
     * @param scheme       basic or digest (default basic)
     * @param username     user name
     * @param passwordEnv  environment variable holding the password
     * @param passwordFile file holding the password
     */
    record Auth(AuthScheme scheme, String username, String passwordEnv, String passwordFile) {
        public Auth {
            scheme = scheme == null ? AuthScheme.BASIC : scheme;
            username = ConfigValues.required("username", username, "a user name");
            if (SecretRef.of("password", passwordEnv, passwordFile) == null) {
                throw new IllegalArgumentException("passwordEnv or passwordFile is required with auth");
            }
        }

        /** Where the password comes from. */
        public SecretRef password() {
            return SecretRef.of("password", passwordEnv, passwordFile);
        }
    }

    /**
     * Polls a still-image URL (most IP cameras have one).
     *
     * @param url           http(s) URL returning a JPEG/PNG
     * @param fps           polls per second (0.001..100, default 2)
     * @param auth          optional credentials
     * @param timeoutMillis request timeout (100..60000, default 5000)
     */
    record HttpSnapshot(String url, Double fps, Auth auth, Integer timeoutMillis) implements SourceConfig {
        public HttpSnapshot {
            url = httpUrl(url);
            fps = ConfigValues.doubleRange("fps", fps, 2, 0.001, 100);
            timeoutMillis = ConfigValues.intRange("timeoutMillis", timeoutMillis, 5000, 100, 60_000);
        }
    }

    /**
     * Reads a multipart MJPEG HTTP stream.
     *
     * @param url           http(s) URL of the stream
     * @param auth          optional credentials
     * @param timeoutMillis connect and read-stall timeout (100..60000, default 10000)
     * @param maxFrameBytes largest accepted part (1 KiB..64 MiB, default 8 MiB)
     */
    record Mjpeg(String url, Auth auth, Integer timeoutMillis, Integer maxFrameBytes) implements SourceConfig {
        public Mjpeg {
            url = httpUrl(url);
            timeoutMillis = ConfigValues.intRange("timeoutMillis", timeoutMillis, 10_000, 100, 60_000);
            maxFrameBytes = ConfigValues.intRange("maxFrameBytes", maxFrameBytes, 8 << 20, 1 << 10, 64 << 20);
        }
    }

    /**
     * Spawns ffmpeg for any input it reads (RTSP, V4L2, files), which delivers raw RGB frames already scaled to the
     * model's input size through a pipe; restarted with backoff when it exits.
     *
     * @param input        ffmpeg input (URL, device, file)
     * @param inputFormat  optional {@code -f} before the input (e.g. v4l2, lavfi)
     * @param inputOptions extra options placed before {@code -i} (e.g. [-rtsp_transport, tcp])
     * @param fps          output frame rate (0 = the input's; 0..1000, default 5)
     * @param executable   ffmpeg binary (default {@code ffmpeg} from PATH)
     */
    record Ffmpeg(String input, String inputFormat, java.util.List<String> inputOptions, Double fps,
            String executable) implements SourceConfig {
        public Ffmpeg {
            input = ConfigValues.required("input", input, "an ffmpeg input (rtsp://..., /dev/video0, a file)");
            inputFormat = ConfigValues.optional(inputFormat);
            inputOptions = inputOptions == null ? java.util.List.of() : java.util.List.copyOf(inputOptions);
            fps = ConfigValues.doubleRange("fps", fps, 5, 0, 1000);
            executable = executable == null ? "ffmpeg" : executable;
        }
    }

    private static String httpUrl(String url) {
        ConfigValues.required("url", url, "an http:// or https:// URL");
        java.net.URI uri;
        try {
            uri = new java.net.URI(url);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("url is '" + url + "', allowed an http:// or https:// URL");
        }
        if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                || uri.getHost() == null) {
            throw new IllegalArgumentException("url is '" + url + "', allowed an http:// or https:// URL");
        }
        return url;
    }
}
