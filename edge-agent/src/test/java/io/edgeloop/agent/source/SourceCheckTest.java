package io.edgeloop.agent.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeloop.agent.config.ConfigException;
import io.edgeloop.agent.config.SourceConfig;
import io.edgeloop.agent.testing.Images;
import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What run refuses and check reports about a source before it runs. */
class SourceCheckTest {

    @TempDir
    Path tmp;

    private static String check(SourceConfig source) throws ConfigException {
        return SourceCheck.check("cameras[0].source", source);
    }

    private static String problem(SourceConfig source) {
        return assertThrows(ConfigException.class, () -> check(source)).getMessage();
    }

    @Test
    void replayNeedsADirectoryWithImages() throws Exception {
        Images.write(tmp.resolve("frames/red/1.png"), Color.RED, "png");
        Images.write(tmp.resolve("frames/2.png"), Color.RED, "png");
        assertEquals("replay " + tmp.resolve("frames") + " (2 images)",
                check(new SourceConfig.Replay(tmp.resolve("frames").toString(), null, null)));
        assertEquals("cameras[0].source.path is '" + tmp.resolve("nope") + "': no such directory, allowed a directory "
                + "of images or an ImageFolder tree", problem(new SourceConfig.Replay(tmp.resolve("nope").toString(),
                        null, null)));
        assertEquals("cameras[0].source.path is '" + tmp.resolve("frames/2.png") + "': not a directory, allowed a "
                + "directory of images or an ImageFolder tree",
                problem(new SourceConfig.Replay(tmp.resolve("frames/2.png").toString(), null, null)));
        // the option names itself
        assertEquals("--source is '" + tmp.resolve("nope") + "': no such directory, allowed a directory of images or "
                + "an ImageFolder tree", assertThrows(ConfigException.class, () -> SourceCheck.check("--source",
                        new SourceConfig.Replay(tmp.resolve("nope").toString(), null, null))).getMessage());
    }

    @Test
    void aWatchedFolderMayBeMissingIfItCanBeCreated() throws Exception {
        Path inbox = tmp.resolve("site/inbox");
        SourceConfig.Folder folder = new SourceConfig.Folder(inbox.toString(), SourceConfig.After.MOVE,
                tmp.resolve("site/done").toString(), null);
        assertEquals("folder " + inbox + " (does not exist yet, run creates it)", check(folder));
        Images.write(inbox.resolve("a.jpg"), Color.RED, "jpg");
        assertEquals("folder " + inbox + " (1 image waiting)", check(folder));
        Path file = Files.writeString(tmp.resolve("file"), "x");
        assertEquals("cameras[0].source.path is '" + file.resolve("inbox") + "': no such directory, and it cannot be "
                + "created (" + file + " is not a writable directory), allowed a directory to watch",
                problem(new SourceConfig.Folder(file.resolve("inbox").toString(), null, null, null)));
        assertEquals("cameras[0].source.moveTo is '" + file + "': not a writable directory, allowed a directory for "
                + "processed files", problem(new SourceConfig.Folder(inbox.toString(), SourceConfig.After.MOVE,
                        file.toString(), null)));
    }

    @Test
    void anUnreadableOrReadOnlyFolderIsReported() throws Exception {
        Assumptions.assumeFalse("root".equals(System.getProperty("user.name")),
                "root reads and writes every directory; run as another user to test permissions");
        Path locked = Files.createDirectories(tmp.resolve("locked"));
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
        try {
            assertEquals("cameras[0].source.path is '" + locked + "': cannot be read (permission denied), allowed a "
                    + "directory the agent can list", problem(new SourceConfig.Folder(locked.toString(), null, null,
                            null)));
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-x------"));
            assertEquals("cameras[0].source.path is '" + locked + "': not writable, allowed a directory the agent can "
                    + "write with after: delete (or after: keep)", problem(new SourceConfig.Folder(locked.toString(),
                            SourceConfig.After.DELETE, null, null)));
        } finally {
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void ffmpegMustExistAndReadTheInputsUrlScheme() throws Exception {
        Path ffmpeg = Path.of("/usr/bin/ffmpeg");
        Assumptions.assumeTrue(Files.isExecutable(ffmpeg), "ffmpeg is not installed; skipping");
        assertEquals("ffmpeg rtsp://10.0.0.5/stream (" + ffmpeg + ")", check(new SourceConfig.Ffmpeg(
                "rtsp://10.0.0.5/stream", null, List.of(), null, ffmpeg.toString())));
        assertEquals("ffmpeg -f v4l2 /dev/video9 (" + ffmpeg + ")", check(new SourceConfig.Ffmpeg("/dev/video9",
                "v4l2", List.of(), null, ffmpeg.toString())));
        assertTrue(SourceCheck.inputSchemes(ffmpeg).containsAll(List.of("rtsp", "rtsps", "http", "https", "file",
                "udp", "rtmp")), SourceCheck.inputSchemes(ffmpeg).toString());
        String bad = problem(new SourceConfig.Ffmpeg("rtps://10.0.0.5/stream", null, List.of(), null,
                ffmpeg.toString()));
        assertTrue(bad.startsWith("cameras[0].source.input is 'rtps://10.0.0.5/stream': ffmpeg (" + ffmpeg
                + ") reads no 'rtps' URLs, allowed a device, a file or a URL with one of ["), bad);
        assertEquals("cameras[0].source.executable is 'no-such-ffmpeg': not found on PATH (" + System.getenv("PATH")
                + "), allowed the ffmpeg binary (Debian: apt-get install ffmpeg) or its path",
                problem(new SourceConfig.Ffmpeg("/dev/video0", null, List.of(), null, "no-such-ffmpeg")));
    }
}
