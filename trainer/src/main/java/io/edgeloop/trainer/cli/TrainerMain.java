package io.edgeloop.trainer.cli;

import io.edgeloop.trainer.job.TrainerServices;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code trainer} program (main class of trainer.jar). Every command runs through {@link CommandLines}, with
 * the exit codes of {@link ExitCodes}: 0 success; 2 bad usage or bad input (the reason on stderr, one line, no
 * stack trace); 1 failure (one line on stderr; the stack trace goes to the debug log).
 */
@Command(name = "trainer", mixinStandardHelpOptions = true, version = "edgeloop trainer 0.1.0",
        description = "Fine-tune pretrained ONNX CNNs (DJL on PyTorch), evaluate and inspect model packages, and run"
                + " the closed loop (collect hard examples, label, sign and deploy models).",
        subcommands = {FitCommand.class, EvaluateCommand.class, InspectCommand.class, InitCommand.class,
                DatasetsCommand.class, PretrainCommand.class, ExperimentCommand.class, CollectCommand.class,
                LabelCommand.class, KeysCommand.class, DeployModelCommand.class, ServeModelsCommand.class,
                DemoCommand.class, BaseCommand.class, CompareCommand.class, ModelsCommand.class, RetrainCommand.class,
                FleetCommand.class, QuantizeCommand.class, HelpCommand.class})
public final class TrainerMain implements Callable<Integer> {

    private final TrainerServices services;

    @Spec
    private CommandSpec spec;

    /** With the default services (the ONNX importer). */
    public TrainerMain() {
        this(TrainerServices.defaults());
    }

    public TrainerMain(TrainerServices services) {
        this.services = services;
    }

    /** The services the subcommands use. */
    TrainerServices services() {
        return services;
    }

    public static void main(String[] args) {
        System.exit(mainWithExitCode(args));
    }

    /** Runs the program and returns its exit code instead of exiting (testable). */
    public static int mainWithExitCode(String... args) {
        return execute(args, new PrintWriter(System.out, true, StandardCharsets.UTF_8),
                new PrintWriter(System.err, true, StandardCharsets.UTF_8), TrainerServices.defaults());
    }

    /** Runs with the given streams and services. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err, TrainerServices services) {
        // DJL reaches for the network at start unless offline: set it before anything touches DJL
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true"); // charts in reports, no display needed
        }
        // The JDK's HTTP server (label serve, the deploy's model file server) writes a reply's headers and body
        // apart; with Nagle's algorithm on, the body then waits for the client's delayed ACK. Measured on the demo's
        // 61 hard examples labelled over the app's API: 5.7 s with it, 0.6-1.2 s without. Read once, before the
        // first server starts.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        CommandLine cl = CommandLines.configure(new CommandLine(new TrainerMain(services)), out, err);
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        err.println("trainer: a command is required, one of " + spec.subcommands().keySet()
                + " (see 'trainer --help')");
        err.flush();
        return ExitCodes.USAGE;
    }
}
