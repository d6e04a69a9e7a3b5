package io.edgeloop.trainer.cli;

import io.edgeloop.trainer.datasets.FashionMnist;
import io.edgeloop.trainer.datasets.FashionMnistExport;
import io.edgeloop.trainer.datasets.FashionMnistSplit;
import io.edgeloop.trainer.datasets.FashionMnistTask;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code trainer datasets fashion-mnist}: exports a Fashion-MNIST split, restricted to the source, target or all
 * classes and optionally capped per class, as an ImageFolder tree of PNGs. Exit code 0 on success, 1 when the
 * dataset is missing or unreadable or the output cannot be written, 2 on bad options (picocli's usage error).
 */
@Command(name = "fashion-mnist", mixinStandardHelpOptions = true,
        description = "Export Fashion-MNIST (Debian package dataset-fashion-mnist) to an ImageFolder tree.")
public final class FashionMnistCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Output directory (created; must be new or empty).")
    private Path out;

    @Option(names = "--task", defaultValue = "target", converter = TaskConverter.class, paramLabel = "TASK",
            description = "source (6 clothing classes), target (Sandal, Sneaker, Bag, Ankle boot) or all."
                    + " Default: ${DEFAULT-VALUE}.")
    private FashionMnistTask task;

    @Option(names = "--split", defaultValue = "train", converter = SplitConverter.class, paramLabel = "SPLIT",
            description = "train (60,000 images) or test (10,000). Default: ${DEFAULT-VALUE}.")
    private FashionMnistSplit split;

    @Option(names = "--per-class", paramLabel = "N",
            description = "At most N images per class, drawn at random (stratified, seeded). Default: all.")
    private Integer perClass;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "SEED",
            description = "Seed of the per-class random selection. Default: ${DEFAULT-VALUE}.")
    private long seed;

    @Option(names = "--source-dir", paramLabel = "DIR",
            description = "Directory with the IDX files (gzip'd or not). Default: /usr/share/datasets/fashion-mnist.")
    private Path sourceDir;

    @Override
    public Integer call() {
        if (perClass != null && perClass < 1) {
            throw new ParameterException(spec.commandLine(),
                    "Invalid value for option '--per-class': " + perClass + " (must be >= 1)");
        }
        FashionMnistExport.Options options = new FashionMnistExport.Options(task,
                perClass == null ? FashionMnistExport.NO_LIMIT : perClass, seed, out);
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        try {
            FashionMnist data = FashionMnist.load(sourceDir == null ? FashionMnist.DEBIAN_DIRECTORY : sourceDir,
                    split);
            FashionMnistExport.Summary summary = FashionMnistExport.export(data, options);
            stdout.printf("Exported %d images of Fashion-MNIST %s (task %s) to %s%n", summary.total(),
                    split.cliName(), task.cliName(), summary.outputDirectory());
            for (Map.Entry<String, Integer> e : summary.imagesPerFolder().entrySet()) {
                stdout.printf("  %-12s %6d%n", e.getKey(), e.getValue());
            }
            stdout.flush();
            return 0;
        } catch (IOException e) {
            stderr.println("trainer datasets fashion-mnist: " + e.getMessage());
            stderr.flush();
            return 1;
        }
    }

    /** Parses {@code --task}; the error lists the allowed names. */
    static final class TaskConverter implements ITypeConverter<FashionMnistTask> {
        @Override
        public FashionMnistTask convert(String value) {
            try {
                return FashionMnistTask.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** Parses {@code --split}; the error lists the allowed names. */
    static final class SplitConverter implements ITypeConverter<FashionMnistSplit> {
        @Override
        public FashionMnistSplit convert(String value) {
            try {
                return FashionMnistSplit.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
