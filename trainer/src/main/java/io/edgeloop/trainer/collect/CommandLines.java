package io.edgeloop.trainer.collect;

import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * Runs the closed-loop commands ({@code collect}, {@code label}, {@code keys}, {@code deploy}) with the exit-code
 * contract: 0 ok, 2 bad usage or input with a one-line reason on stderr (no usage dump), 1 failure.
 */
public final class CommandLines {

    /** Exit code for success. */
    public static final int OK = 0;
    /** Exit code for a failure of the work itself (I/O, broker, timeout). */
    public static final int FAILURE = 1;
    /** Exit code for bad usage or bad input. */
    public static final int BAD_INPUT = 2;

    private CommandLines() {
    }

    /** Executes {@code command} with {@code args}, printing to the given writers. */
    public static int execute(Object command, PrintWriter out, PrintWriter err, String... args) {
        CommandLine line = new CommandLine(command);
        line.setOut(out);
        line.setErr(err);
        line.setParameterExceptionHandler((e, a) -> {
            CommandLine cmd = e.getCommandLine();
            cmd.getErr().println(qualifiedName(cmd) + ": " + e.getMessage() + " (see --help)");
            cmd.getErr().flush();
            return BAD_INPUT;
        });
        line.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println(qualifiedName(cmd) + ": failed: " + e);
            cmd.getErr().flush();
            return FAILURE;
        });
        int code = line.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** Executes {@code command} on the process's stdout and stderr. */
    public static int execute(Object command, String... args) {
        return execute(command, new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /**
     * The command as a user types it, {@code trainer label set}, whether it runs stand-alone or registered under the
     * trainer's main command (whatever that one is called).
     */
    public static String qualifiedName(CommandLine cmd) {
        java.util.Deque<String> names = new java.util.ArrayDeque<>();
        CommandLine c = cmd;
        while (c != null) {
            boolean root = c.getParent() == null;
            if (!root || isClosedLoopCommand(c)) {
                names.addFirst(c.getCommandName());
            }
            c = c.getParent();
        }
        return "trainer " + String.join(" ", names);
    }

    private static boolean isClosedLoopCommand(CommandLine c) {
        return c.getCommandSpec().userObject() instanceof ClosedLoopCommand;
    }

    /** Prints a one-line reason for bad input and returns {@link #BAD_INPUT}. */
    public static int badInput(CommandLine cmd, String reason) {
        cmd.getErr().println(qualifiedName(cmd) + ": " + reason);
        cmd.getErr().flush();
        return BAD_INPUT;
    }

    /** Prints a one-line reason for a failure and returns {@link #FAILURE}. */
    public static int failure(CommandLine cmd, String reason) {
        cmd.getErr().println(qualifiedName(cmd) + ": " + reason);
        cmd.getErr().flush();
        return FAILURE;
    }
}
