package io.edgeloop.trainer.cli;

import io.edgeloop.protocol.model.ModelPackageException;
import io.edgeloop.trainer.arch.InitCommand;
import io.edgeloop.trainer.collect.CollectCommand;
import io.edgeloop.trainer.data.DatasetException;
import io.edgeloop.trainer.datasets.DatasetsCommand;
import io.edgeloop.trainer.demo.DemoCommand;
import io.edgeloop.trainer.deploy.DeployModelCommand;
import io.edgeloop.trainer.deploy.KeysCommand;
import io.edgeloop.trainer.deploy.ServeModelsCommand;
import io.edgeloop.trainer.experiment.ExperimentCommand;
import io.edgeloop.trainer.label.LabelCommand;
import io.edgeloop.trainer.onnx.OnnxImportException;
import io.edgeloop.trainer.pretrain.PretrainCommand;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code trainer} program (main class of trainer.jar). Exit codes: 0 success; 2 bad usage or bad input (the
 * reason on stderr, one line, no stack trace); 1 failure (one line on stderr; the stack trace goes to the debug
 * log).
 */
@Command(name = "trainer", mixinStandardHelpOptions = true, version = "edgeloop trainer 0.1.0",
        description = "Fine-tune pretrained ONNX CNNs (DJL on PyTorch), evaluate and inspect model packages, and run"
                + " the closed loop (collect hard examples, label, sign and deploy models).",
        subcommands = {FitCommand.class, EvaluateCommand.class, InspectCommand.class, InitCommand.class,
                DatasetsCommand.class, PretrainCommand.class, ExperimentCommand.class, CollectCommand.class,
                LabelCommand.class, KeysCommand.class, DeployModelCommand.class, ServeModelsCommand.class,
                DemoCommand.class})
public final class TrainerMain implements Callable<Integer> {

    /** Success. */
    public static final int EXIT_OK = 0;
    /** Failure while running (training diverged, interrupted, I/O error, bug). */
    public static final int EXIT_FAILURE = 1;
    /** Bad usage or bad input. */
    public static final int EXIT_USAGE = 2;

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TrainerMain.class);

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
        CommandLine cl = new CommandLine(new TrainerMain(services));
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler((ex, arguments) -> {
            String command = ex.getCommandLine().getCommandSpec().qualifiedName();
            err.println(command + ": " + oneLine(ex.getMessage()) + " (see '" + command + " --help')");
            err.flush();
            return EXIT_USAGE;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            int code = exitCodeOf(ex);
            String message = ex.getMessage() == null ? ex.toString() : ex.getMessage();
            if (code == EXIT_FAILURE && !(ex instanceof io.edgeloop.trainer.train.NonFiniteLossException)
                    && !(ex instanceof java.util.concurrent.CancellationException)) {
                message = ex.getClass().getSimpleName() + ": " + message;
            }
            err.println(commandLine.getCommandSpec().qualifiedName() + ": " + oneLine(message));
            err.flush();
            LOG.debug("{} failed", commandLine.getCommandSpec().qualifiedName(), ex);
            return code;
        });
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
        return EXIT_USAGE;
    }

    /** Bad input (data, model, options) is 2; everything else is 1. */
    static int exitCodeOf(Throwable ex) {
        if (ex instanceof IllegalArgumentException || ex instanceof DatasetException
                || ex instanceof OnnxImportException || ex instanceof ModelPackageException
                || ex instanceof NoSuchFileException
                || (ex instanceof UncheckedIOException u && u.getCause() instanceof NoSuchFileException)) {
            return EXIT_USAGE;
        }
        return EXIT_FAILURE;
    }

    private static String oneLine(String message) {
        return message.replaceAll("\\s*\\R\\s*", " ").trim();
    }
}
