package io.edgeloop.trainer.cli;

import java.io.PrintWriter;
import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * Runs a trainer command with the exit-code contract of {@link ExitCodes}: a parse error or an exception prints one
 * line on stderr that names the command as the user typed it ({@code trainer label set: …}); stack traces go to
 * the debug log only. {@link TrainerMain} runs every command through here; tests run single commands with it.
 */
public final class CommandLines {

    private static final Logger LOG = LoggerFactory.getLogger(CommandLines.class);

    private CommandLines() {
    }

    /** Executes {@code command} with {@code args}, printing to the given writers, and returns the exit code. */
    public static int execute(Object command, PrintWriter out, PrintWriter err, String... args) {
        CommandLine line = configure(new CommandLine(command), out, err);
        int code = line.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** Sets the streams, the usage width and the error handlers of {@code line}; returns it. */
    static CommandLine configure(CommandLine line, PrintWriter out, PrintWriter err) {
        line.setOut(out);
        line.setErr(err);
        line.setCaseInsensitiveEnumValuesAllowed(true);
        line.setUsageHelpWidth(80);
        line.setParameterExceptionHandler((e, a) -> {
            CommandLine cmd = e.getCommandLine();
            String name = qualifiedName(cmd);
            cmd.getErr().println(name + ": " + ExitCodes.oneLine(e.getMessage()) + " (see '" + name + " --help')");
            cmd.getErr().flush();
            return ExitCodes.USAGE;
        });
        line.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println(qualifiedName(cmd) + ": " + ExitCodes.message(e));
            cmd.getErr().flush();
            LOG.debug("{} failed", qualifiedName(cmd), e);
            return ExitCodes.of(e);
        });
        return line;
    }

    /**
     * The command as a user types it, {@code trainer label set}, whether it runs under {@link TrainerMain} or on its
     * own (as in tests).
     */
    public static String qualifiedName(CommandLine cmd) {
        Deque<String> names = new ArrayDeque<>();
        for (CommandLine c = cmd; c != null; c = c.getParent()) {
            if (!(c.getCommandSpec().userObject() instanceof TrainerMain)) {
                names.addFirst(c.getCommandName());
            }
        }
        return names.isEmpty() ? "trainer" : "trainer " + String.join(" ", names);
    }
}
