package io.edgeloop.trainer.cli;

import io.edgeloop.trainer.demo.ClosedLoopDemo;
import io.edgeloop.trainer.demo.DemoSettings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code trainer demo}: the closed loop on one machine, offline, with the shipped base model and data sample
 * ({@link ClosedLoopDemo} does the work).
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the whole loop offline: fine-tune the base on a few labels, run an edge agent, collect"
                + " hard examples, label them, retrain, sign and deploy, and compare accuracy before and after.")
public final class DemoCommand implements Callable<Integer> {

    @ParentCommand
    private TrainerMain parent;

    @Spec
    private CommandSpec spec;

    @Option(names = "--out", defaultValue = "demo-out", paramLabel = "DIR",
            description = "Output folder (created; a previous demo's folder is cleared). Default: ${DEFAULT-VALUE}.")
    Path out;

    @Option(names = "--base", defaultValue = "models/base/model.onnx", paramLabel = "MODEL.onnx",
            description = "Pretrained base model package. Default: ${DEFAULT-VALUE}.")
    Path base;

    @Option(names = "--sample", defaultValue = "data/fashion-mnist-target", paramLabel = "DIR",
            description = "Target-task sample with train/ and test/ ImageFolder trees. Default: ${DEFAULT-VALUE}.")
    Path sample;

    @Option(names = "--agent-jar", defaultValue = "edge-agent/target/edge-agent.jar", paramLabel = "JAR",
            description = "The edge agent's runnable jar. Default: ${DEFAULT-VALUE}.")
    Path agentJar;

    @Option(names = "--labelled-per-class", defaultValue = "10", paramLabel = "N",
            description = "Images per class labelled up front; the rest of the sample's train/ is the camera's"
                    + " stream. Default: ${DEFAULT-VALUE}.")
    int labelledPerClass;

    @Option(names = "--epochs", defaultValue = "60", paramLabel = "N", description = "Epochs per fine-tune (an epoch"
            + " of a few dozen 28x28 images takes tens of milliseconds; early stopping ends most runs sooner)."
            + " Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--lr", defaultValue = "0.01", paramLabel = "X",
            description = "Head learning rate (the trained backbone layers get 0.1x). Default: ${DEFAULT-VALUE}.")
    double lr;

    @Option(names = "--fps", defaultValue = "20", paramLabel = "N",
            description = "Frames per second the camera replays. Default: ${DEFAULT-VALUE}.")
    int fps;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "N", description = "Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--keep-running", description = "Keep the broker, agent and labelling app running at the end"
            + " (Ctrl-C stops).")
    boolean keepRunning;

    @Mixin
    DeviceOptions devices;

    @Override
    public Integer call() throws Exception {
        DemoSettings settings = new DemoSettings(out, base, sample, agentJar, labelledPerClass, epochs, lr, fps, seed,
                keepRunning, devices.resolve(parent.services().gpuCount()));
        PrintWriter console = spec.commandLine().getOut();
        if (!Terminal.interactive()) {
            new ClosedLoopDemo(settings, parent.services(), console).run();
            return ExitCodes.OK;
        }
        // a person reads this narrative: keep it inside the terminal; a pipe or a log file gets whole lines to grep
        try (PrintWriter wrapped = new PrintWriter(new WrappingWriter(console, Terminal.width()), true)) {
            new ClosedLoopDemo(settings, parent.services(), wrapped).run();
        }
        return ExitCodes.OK;
    }
}

