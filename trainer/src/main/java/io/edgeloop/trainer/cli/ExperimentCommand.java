package io.edgeloop.trainer.cli;

import io.edgeloop.trainer.job.QuietEngine;
import io.edgeloop.trainer.job.DecodePool;
import io.edgeloop.trainer.train.TrainingDevices;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;
import io.edgeloop.trainer.experiment.ExperimentConfig;
import io.edgeloop.trainer.experiment.ExperimentListener;
import io.edgeloop.trainer.experiment.ExperimentRunner;
import io.edgeloop.trainer.experiment.ResultPlot;
import io.edgeloop.trainer.experiment.ResultTable;
import io.edgeloop.trainer.experiment.ResultsFile;
import io.edgeloop.trainer.experiment.RunResult;
import io.edgeloop.trainer.experiment.SizePlan;

import io.edgeloop.protocol.model.ModelPackage;
import io.edgeloop.trainer.data.ImageFolder;
import io.edgeloop.trainer.datasets.FashionMnist;
import io.edgeloop.trainer.datasets.FashionMnistSplit;
import io.edgeloop.trainer.datasets.FashionMnistTask;
import io.edgeloop.trainer.model.FineTuneStrategy;
import io.edgeloop.trainer.pretrain.FashionMnistFolders;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code trainer experiment}: the transfer-learning experiment on the Fashion-MNIST target task. Fine-tunes the
 * base model for every size × strategy × seed, appends each run to {@code OUT/results.csv} (an interrupted
 * experiment continues with the missing runs) and writes {@code OUT/summary.md} and {@code OUT/accuracy.png}
 * ({@code --report-only}: only those two, from the recorded runs).
 * Exit code 0 on success, 1 when data or model are missing or a run fails, 2 on bad options.
 */
@Command(name = "experiment", mixinStandardHelpOptions = true,
        description = "Measure head / partial / full / scratch fine-tuning of the base model on the target task.")
public final class ExperimentCommand implements Callable<Integer> {

    /** File names written to the output folder. */
    public static final String SUMMARY = "summary.md";
    public static final String PLOT = "accuracy.png";

    @Spec
    private CommandSpec spec;

    @Option(names = "--base", defaultValue = "models/base/model.onnx", paramLabel = "MODEL.onnx",
            description = "Base model package. Default: ${DEFAULT-VALUE}.")
    private Path base;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Fashion-MNIST IDX folder; the target task's train/test splits are exported from it."
                    + " Default: Debian's /usr/share/datasets/fashion-mnist (unless --train-dir is given).")
    private Path data;

    @Option(names = "--train-dir", paramLabel = "DIR",
            description = "Use this ImageFolder of labelled target images instead of --data (needs --test-dir).")
    private Path trainDir;

    @Option(names = "--test-dir", paramLabel = "DIR", description = "ImageFolder of target test images.")
    private Path testDir;

    @Option(names = "--sizes", split = ",", paramLabel = "N:EPOCHS",
            defaultValue = "5:20,20:15,100:10,500:5,all:3",
            description = "Images per class and epochs for each size. Default: ${DEFAULT-VALUE}.")
    private List<String> sizes;

    @Option(names = "--strategies", split = ",", paramLabel = "S", defaultValue = "head,partial,full,scratch",
            description = "Strategies to measure. Default: ${DEFAULT-VALUE}.")
    private List<String> strategies;

    @Option(names = "--seeds", split = ",", paramLabel = "SEED", defaultValue = "1,2,3",
            description = "Seeds (one run each). Default: ${DEFAULT-VALUE}.")
    private List<Long> seeds;

    @Option(names = "--val-per-class", defaultValue = "25", paramLabel = "N",
            description = "Fixed validation images per class held out of the training images."
                    + " Default: ${DEFAULT-VALUE}.")
    private int validationPerClass;

    @Option(names = "--batch-size", defaultValue = "16", paramLabel = "B", description = "Default: ${DEFAULT-VALUE}.")
    private int batchSize;

    @Option(names = "--lr", defaultValue = "0.005", paramLabel = "LR",
            description = "Head learning rate (all layers for scratch), AdamW, cosine. Default: ${DEFAULT-VALUE}.")
    private double learningRate;

    @Option(names = "--backbone-lr-factor", defaultValue = "0.1", paramLabel = "F",
            description = "Backbone learning rate factor for partial and full. Default: ${DEFAULT-VALUE}.")
    private double backboneLrFactor;

    @Option(names = "--freeze-fraction", defaultValue = "0.5", paramLabel = "F",
            description = "Partial: fraction of backbone weight layers frozen. Default: ${DEFAULT-VALUE}.")
    private double freezeFraction;

    @Option(names = "--patience", defaultValue = "5", paramLabel = "EPOCHS",
            description = "Early stopping patience, 0 = off. Default: ${DEFAULT-VALUE}.")
    private int patience;

    @Option(names = "--work", defaultValue = "target/experiment-work", paramLabel = "DIR",
            description = "Work folder (exported images, per-run checkpoints). Default: ${DEFAULT-VALUE}.")
    private Path work;

    @Option(names = "--report-only",
            description = "Run nothing: rewrite summary.md and accuracy.png from the runs in results.csv.")
    private boolean reportOnly;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Output folder for results.csv, summary.md and accuracy.png.")
    private Path out;

    @Mixin
    private DeviceOptions devices;

    @ParentCommand
    private TrainerMain parent;


    @Override
    public Integer call() throws Exception {
        ExperimentConfig config = config();
        TrainingDevices trainOn = devices.resolve(parent == null ? () -> 0 : parent.services().gpuCount());
        QuietEngine.start();
        PrintWriter stdout = spec.commandLine().getOut();
        ModelPackage basePackage = ModelPackage.read(base);
        if (trainDir == null) {
            Path idx = data == null ? FashionMnist.DEBIAN_DIRECTORY : data;
            Files.createDirectories(work);
            config = withData(config,
                    FashionMnistFolders.ensure(idx, FashionMnistSplit.TRAIN, FashionMnistTask.TARGET, work),
                    FashionMnistFolders.ensure(idx, FashionMnistSplit.TEST, FashionMnistTask.TARGET, work));
        }
        List<RunResult> results;
        if (reportOnly) {
            results = new ResultsFile(out).read();
            if (results.isEmpty()) {
                throw new IllegalArgumentException("--report-only but " + new ResultsFile(out).file()
                        + " holds no runs; run the experiment first");
            }
        } else {
            try (DecodePool pool = DecodePool.open(2)) {
                results = new ExperimentRunner(config, basePackage.card().preprocessing(),
                        new ConsoleProgress(stdout), trainOn).run(work, pool.executor());
            }
        }
        ResultTable table = ResultTable.of(results, ImageFolder.scan(config.trainDir()).labels().size());
        Files.writeString(out.resolve(SUMMARY), table.toMarkdown());
        ResultPlot.write(table, "Fashion-MNIST target task: fine-tuning " + basePackage.card().name(),
                out.resolve(PLOT));
        stdout.println(table.toMarkdown());
        stdout.printf("Wrote %s, %s and %s%n", new ResultsFile(out).file(), out.resolve(SUMMARY),
                out.resolve(PLOT));
        stdout.flush();
        return ExitCodes.OK;
    }

    private ExperimentConfig config() {
        if ((trainDir == null) != (testDir == null)) {
            throw new ParameterException(spec.commandLine(),
                    "Options '--train-dir' and '--test-dir' go together: give both or neither");
        }
        if (trainDir != null && data != null) {
            throw new ParameterException(spec.commandLine(),
                    "Options '--data' and '--train-dir' exclude each other: give IDX files or ImageFolders");
        }
        List<SizePlan> plans = new ArrayList<>();
        List<FineTuneStrategy> chosen = new ArrayList<>();
        try {
            for (String s : sizes) {
                plans.add(SizePlan.parse(s));
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--sizes': " + e.getMessage());
        }
        for (String s : strategies) {
            try {
                chosen.add(FineTuneStrategy.valueOf(s.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "Invalid value for option '--strategies': " + s
                        + " (allowed head, partial, full, scratch)");
            }
        }
        Path train = trainDir == null ? work.resolve("target-train") : trainDir;
        Path test = testDir == null ? work.resolve("target-test") : testDir;
        try {
            return new ExperimentConfig(base, train, test, plans, chosen, seeds, validationPerClass, batchSize,
                    learningRate, backboneLrFactor, freezeFraction, patience, out);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "Invalid options: " + e.getMessage());
        }
    }

    private static ExperimentConfig withData(ExperimentConfig c, Path train, Path test) {
        return new ExperimentConfig(c.baseModel(), train, test, c.sizes(), c.strategies(), c.seeds(),
                c.validationPerClass(), c.batchSize(), c.learningRate(), c.backboneLrFactor(), c.freezeFraction(),
                c.patience(), c.outDir());
    }

    /** One line per run on standard output. */
    private record ConsoleProgress(PrintWriter out) implements ExperimentListener {
        @Override
        public void runStarted(String key, int index, int total) {
            out.printf(Locale.ROOT, "[%d/%d] %s ...%n", index, total, key);
            out.flush();
        }

        @Override
        public void runSkipped(RunResult existing) {
            out.printf(Locale.ROOT, "skip %s (recorded: test accuracy %.4f)%n", existing.key(),
                    existing.testAccuracy());
            out.flush();
        }

        @Override
        public void runFinished(RunResult r, int index, int total) {
            out.printf(Locale.ROOT, "[%d/%d] %s: test accuracy %.4f, val %.4f, best epoch %d of %d, %.1f s%n",
                    index, total, r.key(), r.testAccuracy(), r.valAccuracy(), r.bestEpoch(), r.epochsRun(),
                    r.trainSeconds());
            out.flush();
        }
    }
}
