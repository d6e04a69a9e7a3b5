package io.edgeloop.agent.cli;

import io.edgeloop.agent.config.ConfigException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;

/**
 * The one mapping, for every command, from what went wrong to the exit code and the line on stderr: 0 ok; 2 bad usage
 * or bad input (options, the config and the files it names: fixing them is the user's job, and systemd does not
 * restart on 2); 1 any other failure. The line names the command and says what happened in the user's terms; the
 * stack trace goes to the debug log only.
 */
public final class ExitCodes {

    /** Success. */
    public static final int OK = 0;
    /** A check or the run failed. */
    public static final int FAILURE = 1;
    /** Bad usage or bad input: an option, the config or a file either names. */
    public static final int USAGE = 2;

    private ExitCodes() {
    }

    /** The exit code for an exception that ended a command. */
    public static int of(Throwable e) {
        if (e instanceof CommandLine.ParameterException || e instanceof ConfigException) {
            return USAGE;
        }
        return FAILURE;
    }

    /** The stderr line for an exception that ended a command, e.g. {@code edge-agent run: <reason>}. */
    public static String line(String command, Throwable e) {
        return command + ": " + reason(e);
    }

    /** What went wrong, without Java class names for the failures users can act on. */
    static String reason(Throwable e) {
        if (e instanceof NoSuchFileException f) {
            return f.getFile() + ": no such file or directory";
        }
        if (e instanceof AccessDeniedException f) {
            return f.getFile() + ": permission denied";
        }
        if (e instanceof FileSystemException f) {
            // its message is "<file>: <reason>" or just the file name
            return f.getReason() != null ? f.getFile() + ": " + f.getReason() : f.getFile() + ": file system error";
        }
        if (e instanceof InterruptedException) {
            return "interrupted";
        }
        // checked exceptions here are the agent's own (config, model, I/O): their messages are written for users
        boolean expected = e instanceof CommandLine.ParameterException
                || (e instanceof Exception && !(e instanceof RuntimeException));
        if (expected && e.getMessage() != null && !e.getMessage().isBlank()) {
            return e.getMessage();
        }
        // a bug or an unforeseen failure: say so, name the exception once, point to the stack trace
        return "internal error (" + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": "
                + e.getMessage()) + "); EDGELOOP_LOG_LEVEL=DEBUG logs the stack trace";
    }
}
