package io.edgeloop.agent.cli;

import io.edgeloop.agent.inference.OrtNatives;
import io.edgeloop.agent.pipeline.Agent;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the agent jar: {@code run}, {@code check}, {@code bench} and {@code help}.
 * {@link #mainWithExitCode} runs a command without exiting the JVM (for tests). Every command answers
 * {@code --help}; exit codes and error lines follow {@link ExitCodes} for every command.
 */
@Command(name = "edge-agent", mixinStandardHelpOptions = true, version = AgentMain.VERSION,
        description = "Runs an edgeloop model on camera frames and publishes the classifications over MQTT 5.",
        subcommands = {RunCommand.class, CheckCommand.class, BenchCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "First 'edge-agent check --config FILE', then 'edge-agent run --config FILE'.",
                "Exit codes: 0 ok, 1 failure, 2 bad usage or bad input (reason on stderr)."})
public final class AgentMain implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(AgentMain.class);

    /** What {@code --version} prints. */
    static final String VERSION = "edge-agent " + Agent.VERSION;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required: run, check or help");
    }

    public static void main(String[] args) {
        System.setProperty("ai.djl.offline", "true");
        String nativeDir = System.getProperty(OrtNatives.DIR_PROPERTY);
        if (nativeDir != null) {
            try {
                OrtNatives.prepare(Path.of(nativeDir));
            } catch (IOException | RuntimeException e) {
                System.err.println("edge-agent: -D" + OrtNatives.DIR_PROPERTY + "=" + nativeDir + ": " + e
                        + "; ONNX Runtime extracts its libraries into a temporary folder instead");
            }
        }
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
        // the terminal's width when there is one (never below picocli's 80), else 80 columns
        cl.setUsageHelpAutoWidth(true);
        cl.setParameterExceptionHandler((ex, a) -> {
            CommandLine failed = ex.getCommandLine();
            String name = failed.getCommandSpec().qualifiedName();
            failed.getErr().println(ExitCodes.line(name, ex));
            CommandLine.UnmatchedArgumentException.printSuggestions(ex, failed.getErr());
            failed.getErr().println("Try '" + name + " --help' for more information.");
            return ExitCodes.of(ex);
        });
        cl.setExecutionExceptionHandler((ex, failed, parsed) -> {
            String name = failed.getCommandSpec().qualifiedName();
            LOG.debug("{} failed", name, ex);
            failed.getErr().println(ExitCodes.line(name, ex));
            return ExitCodes.of(ex);
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
