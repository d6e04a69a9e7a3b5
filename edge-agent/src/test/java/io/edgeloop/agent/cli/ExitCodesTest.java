package io.edgeloop.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.edgeloop.agent.config.ConfigException;
import io.edgeloop.agent.inference.ModelLoadException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The one mapping from what ended a command to its exit code and stderr line. */
class ExitCodesTest {

    @Test
    void badUsageAndBadInputAre2EverythingElse1() {
        CommandLine cl = new CommandLine(new AgentMain());
        assertEquals(2, ExitCodes.of(new CommandLine.ParameterException(cl, "Unknown option: '-x'")));
        assertEquals(2, ExitCodes.of(new ConfigException("a.yaml: unknown key 'b'")));
        assertEquals(1, ExitCodes.of(new ModelLoadException("m.onnx: not an ONNX model (empty file)")));
        assertEquals(1, ExitCodes.of(new IOException("disk full")));
        assertEquals(1, ExitCodes.of(new InterruptedException()));
        assertEquals(1, ExitCodes.of(new IllegalStateException("bug")));
    }

    @Test
    void linesNameTheCommandAndSpeakTheUsersLanguage() {
        assertEquals("edge-agent run: a.yaml: unknown key 'b'",
                ExitCodes.line("edge-agent run", new ConfigException("a.yaml: unknown key 'b'")));
        assertEquals("edge-agent run: m.onnx: not an ONNX model (empty file)",
                ExitCodes.line("edge-agent run", new ModelLoadException("m.onnx: not an ONNX model (empty file)")));
        // the JDK's file exceptions carry only the file name as their message
        assertEquals("edge-agent run: /var/lib/edgeloop/spool: no such file or directory",
                ExitCodes.line("edge-agent run", new NoSuchFileException("/var/lib/edgeloop/spool")));
        assertEquals("edge-agent run: /var/lib/edgeloop/spool: permission denied",
                ExitCodes.line("edge-agent run", new AccessDeniedException("/var/lib/edgeloop/spool")));
        assertEquals("edge-agent run: /var/lib/edgeloop/spool: Read-only file system",
                ExitCodes.line("edge-agent run", new FileSystemException("/var/lib/edgeloop/spool", null,
                        "Read-only file system")));
        assertEquals("edge-agent check: interrupted", ExitCodes.line("edge-agent check", new InterruptedException()));
    }

    @Test
    void anUnexpectedExceptionIsCalledAnInternalErrorAndPointsToTheDebugLog() {
        assertEquals("edge-agent run: internal error (IllegalStateException: no session); EDGELOOP_LOG_LEVEL=DEBUG "
                + "logs the stack trace", ExitCodes.line("edge-agent run", new IllegalStateException("no session")));
        assertEquals("edge-agent run: internal error (NullPointerException); EDGELOOP_LOG_LEVEL=DEBUG logs the "
                + "stack trace", ExitCodes.line("edge-agent run", new NullPointerException()));
        assertEquals("edge-agent run: internal error (IOException); EDGELOOP_LOG_LEVEL=DEBUG logs the stack trace",
                ExitCodes.line("edge-agent run", new IOException()));
    }
}
