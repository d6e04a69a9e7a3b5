package io.edgeloop.agent.source;

import io.edgeloop.agent.config.ConfigException;
import io.edgeloop.agent.config.SourceConfig;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What can be known about a camera source before it runs, so that {@code run} refuses to start (instead of retrying
 * a source that cannot work, forever) and {@code check} reports the same problems: the replay directory exists and
 * holds images; the watched folder exists or can be created, can be listed, and can be written when processed files
 * are moved or deleted; the ffmpeg binary exists and reads the input's URL scheme. A camera that is merely offline
 * is not a problem here: the agent retries it. HTTP URLs are checked by the config itself (http or https).
 */
public final class SourceCheck {

    /** A URL-like ffmpeg input: a scheme, then "://". */
    private static final Pattern URL = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*)://");
    /** Schemes ffmpeg reads through a demuxer rather than a protocol, so {@code ffmpeg -protocols} omits them. */
    private static final Set<String> DEMUXER_SCHEMES = Set.of("rtsp", "rtsps", "sap");

    private SourceCheck() {
    }

    /**
     * Checks one source.
     *
     * @param where the source's name in messages: a config key such as {@code cameras[0].source} (keys below it
     *              follow), or the option {@code --source}
     * @return what the source will read, for {@code check}'s report
     * @throws ConfigException naming the key, the bad value and what is allowed
     */
    public static String check(String where, SourceConfig source) throws ConfigException {
        if (source instanceof SourceConfig.Replay r) {
            return replay(key(where, "path"), Path.of(r.path()));
        }
        if (source instanceof SourceConfig.Folder f) {
            return folder(where, f);
        }
        if (source instanceof SourceConfig.Ffmpeg f) {
            return ffmpeg(where, f);
        }
        if (source instanceof SourceConfig.HttpSnapshot h) {
            return "http-snapshot " + h.url();
        }
        return "mjpeg " + ((SourceConfig.Mjpeg) source).url();
    }

    private static String key(String where, String name) {
        return where.startsWith("--") ? where : where + "." + name;
    }

    private static String replay(String key, Path dir) throws ConfigException {
        String allowed = "allowed a directory of images or an ImageFolder tree";
        if (!Files.exists(dir)) {
            throw new ConfigException(key + " is '" + dir + "': no such directory, " + allowed);
        }
        if (!Files.isDirectory(dir)) {
            throw new ConfigException(key + " is '" + dir + "': not a directory, " + allowed);
        }
        int images;
        try {
            images = ReplaySource.images(dir).size();
        } catch (IOException e) {
            throw new ConfigException(key + " is '" + dir + "': cannot be read (" + reason(e) + "), " + allowed, e);
        }
        if (images == 0) {
            throw new ConfigException(key + " is '" + dir + "': no images in it or its subdirectories (.jpg, .jpeg, "
                    + ".png, .bmp), " + allowed);
        }
        return "replay " + dir + " (" + images + " image" + (images == 1 ? "" : "s") + ")";
    }

    private static String folder(String where, SourceConfig.Folder f) throws ConfigException {
        Path dir = Path.of(f.path());
        String key = key(where, "path");
        boolean writes = f.after() != SourceConfig.After.KEEP;
        String note;
        if (Files.exists(dir)) {
            if (!Files.isDirectory(dir)) {
                throw new ConfigException(key + " is '" + dir + "': not a directory, allowed a directory to watch");
            }
            try (Stream<Path> files = Files.list(dir)) {
                long waiting = files.filter(ReplaySource::isImage).count();
                note = waiting + " image" + (waiting == 1 ? "" : "s") + " waiting";
            } catch (IOException e) {
                throw new ConfigException(key + " is '" + dir + "': cannot be read (" + reason(e)
                        + "), allowed a directory the agent can list", e);
            }
            if (writes && !Files.isWritable(dir)) {
                throw new ConfigException(key + " is '" + dir + "': not writable, allowed a directory the agent "
                        + "can write with after: " + f.after().name().toLowerCase(Locale.ROOT)
                        + " (or after: keep)");
            }
        } else {
            creatable(key, dir, "a directory to watch");
            note = "does not exist yet, run creates it";
        }
        if (f.after() == SourceConfig.After.MOVE) {
            Path moveTo = Path.of(f.moveTo());
            String moveKey = key(where, "moveTo");
            if (Files.exists(moveTo) && !(Files.isDirectory(moveTo) && Files.isWritable(moveTo))) {
                throw new ConfigException(moveKey + " is '" + moveTo + "': not a writable directory, allowed a "
                        + "directory for processed files");
            }
            if (!Files.exists(moveTo)) {
                creatable(moveKey, moveTo, "a directory for processed files");
            }
        }
        return "folder " + dir + " (" + note + ")";
    }

    /** A missing directory the agent can create: its nearest existing ancestor is a writable directory. */
    private static void creatable(String key, Path dir, String allowed) throws ConfigException {
        Path ancestor = dir.toAbsolutePath().getParent();
        while (ancestor != null && !Files.exists(ancestor)) {
            ancestor = ancestor.getParent();
        }
        if (ancestor == null || !Files.isDirectory(ancestor) || !Files.isWritable(ancestor)) {
            throw new ConfigException(key + " is '" + dir + "': no such directory, and it cannot be created ("
                    + ancestor + " is not a writable directory), allowed " + allowed);
        }
    }

    private static String ffmpeg(String where, SourceConfig.Ffmpeg f) throws ConfigException {
        Path binary = executable(key(where, "executable"), f.executable());
        Matcher url = URL.matcher(f.input());
        if (url.find()) {
            String scheme = url.group(1).toLowerCase(Locale.ROOT);
            Set<String> schemes = inputSchemes(binary);
            if (!schemes.contains(scheme)) {
                throw new ConfigException(key(where, "input") + " is '" + f.input() + "': ffmpeg (" + binary
                        + ") reads no '" + scheme + "' URLs, allowed a device, a file or a URL with one of "
                        + schemes);
            }
        }
        return "ffmpeg " + (f.inputFormat() == null ? "" : "-f " + f.inputFormat() + " ") + f.input() + " (" + binary
                + ")";
    }

    /** The ffmpeg binary: a path, or a name looked up on PATH as the process start will. */
    private static Path executable(String key, String executable) throws ConfigException {
        if (executable.contains(File.separator)) {
            Path p = Path.of(executable);
            if (!Files.isRegularFile(p) || !Files.isExecutable(p)) {
                throw new ConfigException(key + " is '" + executable + "': not an executable file, allowed the "
                        + "ffmpeg binary (Debian: apt-get install ffmpeg)");
            }
            return p;
        }
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                Path p = Path.of(dir, executable);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        throw new ConfigException(key + " is '" + executable + "': not found on PATH (" + path + "), allowed the "
                + "ffmpeg binary (Debian: apt-get install ffmpeg) or its path");
    }

    /** The URL schemes this ffmpeg reads: its input protocols ({@code ffmpeg -protocols}) and RTSP. */
    static Set<String> inputSchemes(Path ffmpeg) throws ConfigException {
        Process p;
        try {
            p = new ProcessBuilder(ffmpeg.toString(), "-hide_banner", "-protocols").redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            throw new ConfigException(ffmpeg + " cannot be started (" + reason(e) + ")", e);
        }
        String text;
        try (InputStream in = p.getInputStream()) {
            p.getOutputStream().close();
            text = new String(in.readNBytes(1 << 16), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                throw new ConfigException(ffmpeg + " -protocols did not answer within 10 s");
            }
        } catch (IOException e) {
            throw new ConfigException(ffmpeg + " -protocols failed (" + reason(e) + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigException(ffmpeg + " -protocols was interrupted", e);
        } finally {
            p.destroyForcibly();
        }
        Set<String> schemes = new TreeSet<>(DEMUXER_SCHEMES);
        boolean input = false;
        for (String w : text.split("\\s+")) {
            if (w.equals("Input:")) {
                input = true;
            } else if (w.equals("Output:")) {
                input = false;
            } else if (input && !w.isEmpty()) {
                schemes.add(w);
            }
        }
        if (schemes.size() == DEMUXER_SCHEMES.size()) {
            throw new ConfigException(ffmpeg + " -protocols listed no input protocols: is it ffmpeg?");
        }
        return schemes;
    }

    private static String reason(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
