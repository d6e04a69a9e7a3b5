package io.edgeloop.trainer.cli;

import io.edgeloop.trainer.job.QuietEngine;
import io.edgeloop.trainer.job.DecodePool;
import io.edgeloop.trainer.train.TrainingDevices;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;
import io.edgeloop.trainer.pretrain.PretrainConfig;
import io.edgeloop.trainer.pretrain.PretrainResult;
import io.edgeloop.trainer.pretrain.Pretrainer;

import io.edgeloop.trainer.arch.Architecture;
import io.edgeloop.trainer.datasets.FashionMnist;
import io.edgeloop.trainer.train.EpochMetrics;
import io.edgeloop.trainer.train.FitListener;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code trainer pretrain}: builds an architecture with random (seeded) weights, trains it from scratch on the
 * Fashion-MNIST source task and writes the base model package {@code OUT/model.onnx}. Exit code 0 on success, 1
 * when the data is missing or training or writing fails, 2 on bad options (naming the option, the value and what
 * is allowed).
 */
@Command(name = "pretrain", mixinStandardHelpOptions = true,
        description = "Pretrain a base model from scratch on the Fashion-MNIST source task (six clothing classes).")
public final class PretrainCommand implements Callable<Integer> {

    /** The only source task there is: Fashion-MNIST's six clothing classes. */
    public static final String SOURCE = "fashion-mnist-source";

    @Spec
    private CommandSpec spec;

    @Option(names = "--arch", required = true, converter = ArchitectureConverter.class, paramLabel = "ARCH",
            description = "mobilenetv2, resnet18 or simplecnn.")
    private Architecture architecture;

    @Option(names = "--width", defaultValue = "1.0", paramLabel = "W",
            description = "Channel width multiplier, 0.1 to 4.0. Default: ${DEFAULT-VALUE}.")
    private double width;

    @Option(names = "--image-size", defaultValue = "28", paramLabel = "S",
            description = "Input side in pixels (the 28×28 images are resized to it). Default: ${DEFAULT-VALUE}.")
    private int imageSize;

    @Option(names = "--source", defaultValue = SOURCE, paramLabel = "TASK",
            description = "Source task; only " + SOURCE + " exists. Default: ${DEFAULT-VALUE}.")
    private String source;

    @Option(names = "--data", paramLabel = "DIR",
            description =
                    "Folder with the Fashion-MNIST IDX files. Default: Debian's /usr/share/datasets/fashion-mnist.")
    private Path data = FashionMnist.DEBIAN_DIRECTORY;

    @Option(names = "--epochs", required = true, paramLabel = "N", description = "Training epochs, 1 to 1000.")
    private int epochs;

    @Option(names = "--batch-size", defaultValue = "64", paramLabel = "B",
            description = "Images per step, 1 to 4096. Default: ${DEFAULT-VALUE}.")
    private int batchSize;

    @Option(names = "--lr", defaultValue = "0.003", paramLabel = "LR",
            description = "AdamW learning rate (cosine decay), 0 < LR <= 1. Default: ${DEFAULT-VALUE}.")
    private double learningRate;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "SEED",
            description = "Seed of initialisation and shuffles. Default: ${DEFAULT-VALUE}.")
    private long seed;

    @Option(names = "--work", defaultValue = "target/pretrain-work", paramLabel = "DIR",
            description = "Work folder (ImageFolder copies of the data, checkpoint). Default: ${DEFAULT-VALUE}.")
    private Path work;

    @Option(names = "--resume", description = "Continue the interrupted run whose checkpoint is in the work folder.")
    private boolean resume;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder for model.onnx.")
    private Path out;

    @Mixin
    private DeviceOptions devices;

    @ParentCommand
    private TrainerMain parent;


    @Override
    public Integer call() throws Exception {
        if (!SOURCE.equals(source)) {
            throw new IllegalArgumentException("--source is " + source + ", allowed " + SOURCE);
        }
        PretrainConfig config = OptionNames.build(() -> new PretrainConfig(architecture, width, imageSize, epochs,
                batchSize, learningRate, seed, data, work, out), OptionNames.PRETRAIN);
        TrainingDevices trainOn = devices.resolve(parent == null ? () -> 0 : parent.services().gpuCount());
        QuietEngine.start();
        PrintWriter stdout = spec.commandLine().getOut();
        try (DecodePool pool = DecodePool.open(2)) {
            PretrainResult result = new Pretrainer(config, new EpochPrinter(stdout), trainOn).run(pool.executor(),
                    resume, commandLine());
            stdout.printf(Locale.ROOT, "Wrote %s: source-task test accuracy %.4f on %d images (epoch %d of %d kept),"
                            + " %.0f s training%n", result.modelFile(), result.sourceTest().accuracy(),
                    result.sourceTest().images(), result.fit().bestEpoch(), result.fit().history().size(),
                    result.fit().seconds());
            stdout.flush();
            return ExitCodes.OK;
        }
    }

    /**
     * The command as typed, for the card. Under the trainer CLI picocli's original arguments start with the
     * subcommand's own name; it is written once.
     */
    private String commandLine() {
        List<String> args = new ArrayList<>(spec.commandLine().getParseResult().originalArgs());
        if (!args.isEmpty() && args.get(0).equals(spec.name())) {
            args.remove(0);
        }
        return "trainer pretrain " + String.join(" ", args);
    }

    /** One line per epoch on standard output. */
    private record EpochPrinter(PrintWriter out) implements FitListener {
        @Override
        public void epochFinished(EpochMetrics m) {
            out.printf(Locale.ROOT, "epoch %d: train loss %.4f acc %.4f, test loss %.4f acc %.4f, %.0f s%n",
                    m.epoch(), m.trainLoss(), m.trainAccuracy(), m.valLoss(), m.valAccuracy(), m.seconds());
            out.flush();
        }
    }

    /** Parses {@code --arch} like {@code trainer init}. */
    static final class ArchitectureConverter implements ITypeConverter<Architecture> {
        @Override
        public Architecture convert(String value) {
            try {
                return Architecture.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
