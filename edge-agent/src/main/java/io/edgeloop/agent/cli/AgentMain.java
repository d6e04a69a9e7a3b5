package io.edgeloop.agent.cli;

import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the agent jar: {@code run} and {@code check}. {@link #mainWithExitCode} runs the command without
 * exiting the JVM (for tests); exit codes: 0 ok, 1 failure, 2 bad usage or configuration (reason on stderr).
 */
@Command(name = "edge-agent", mixinStandardHelpOptions = true, version = "edge-agent 0.1.0",
        description = "Runs an edgeloop model on camera frames and publishes classifications over MQTT 5.",
        subcommands = {RunCommand.class, CheckCommand.class})
public final class AgentMain implements Runnable {

    /** Exit code: success. */
    public static final int OK = 0;
    /** Exit code: a check or the run failed. */
    public static final int FAILURE = 1;
    /** Exit code: bad usage or configuration. */
    public static final int USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required: run or check");
    }

    public static void main(String[] args) {
        System.setProperty("ai.djl.offline", "true");
        System.exit(mainWithExitCode(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true),
                System.getenv()));
    }

    /**
     * Runs a command and returns its exit code.
     *
     * @param environment process environment for secrets
     */
    public static int mainWithExitCode(String[] args, PrintWriter out, PrintWriter err,
            Map<String, String> environment) {
        CommandLine cl = new CommandLine(new AgentMain(), new Factory(environment));
        cl.setOut(out);
        cl.setErr(err);
        cl.setExitCodeExceptionMapper(e -> FAILURE);
        cl.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("error: " + ex.getMessage());
            ex.getCommandLine().getErr().println("usage: " + ex.getCommandLine().getCommandSpec().qualifiedName()
                    + " --help");
            return USAGE;
        });
        cl.setExecutionExceptionHandler((ex, c, p) -> {
            c.getErr().println("error: " + ex);
            return FAILURE;
        });
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** Gives commands the environment (so tests can pass their own). */
    private static final class Factory implements CommandLine.IFactory {
        private final Map<String, String> environment;
        private final CommandLine.IFactory fallback = CommandLine.defaultFactory();

        Factory(Map<String, String> environment) {
            this.environment = environment;
        }

        @Override
        public <K> K create(Class<K> cls) throws Exception {
            K instance = fallback.create(cls);
            if (instance instanceof EnvironmentAware aware) {
                aware.environment(environment);
            }
            return instance;
        }
    }

    /** A command that reads secrets from the environment. */
    interface EnvironmentAware {
        void environment(Map<String, String> environment);
    }
}
