package io.edgeloop.trainer.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeloop.protocol.preprocess.ColourOrder;
import io.edgeloop.protocol.preprocess.PreprocessSpec;
import io.edgeloop.protocol.preprocess.ResizePolicy;
import io.edgeloop.trainer.arch.ArchSpec;
import io.edgeloop.trainer.arch.Architecture;
import io.edgeloop.trainer.arch.ArchitectureOnnx;
import io.edgeloop.trainer.model.FineTuneStrategy;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tiny configuration of the experiment on the committed target sample (40 training and 100 test images per
 * class): n = 5, one seed, head and full, one epoch, from a small randomly initialised SimpleCNN standing in for
 * the base model. Checks the files, the table's structure and the figures' ranges, and that a second invocation
 * continues from {@code results.csv} instead of repeating runs.
 */
class ExperimentRunnerTest {

    static final Path SAMPLE = Path.of("").toAbsolutePath().getParent().resolve("data/fashion-mnist-target");
    static final PreprocessSpec SPEC = new PreprocessSpec(ResizePolicy.EXACT, 28, 28, List.of(0.2, 0.2, 0.2),
            List.of(0.3, 0.3, 0.3), 1.0 / 255.0, ColourOrder.RGB);
    static ExecutorService pool;

    @TempDir
    static Path dir;
    static Path base;

    @BeforeAll
    static void setUp() throws Exception {
        System.setProperty("java.awt.headless", "true");
        pool = Executors.newFixedThreadPool(2);
        base = dir.resolve("base.onnx");
        ArchitectureOnnx.write(ArchitectureOnnx.build(new ArchSpec(Architecture.SIMPLECNN, 0.25, 28, 6, 7)), base);
    }

    @AfterAll
    static void tearDown() throws Exception {
        pool.shutdownNow();
        pool.awaitTermination(10, TimeUnit.SECONDS);
    }

    static ExperimentConfig config(Path out) {
        return new ExperimentConfig(base, SAMPLE.resolve("train"), SAMPLE.resolve("test"),
                List.of(new SizePlan(5, 1)), List.of(FineTuneStrategy.HEAD, FineTuneStrategy.FULL), List.of(1L), 5,
                16, 0.005, 0.1, 0.5, 0, out);
    }

    @Test
    void tinyGridWritesResultsTableAndPlotAndResumes() throws Exception {
        Path out = dir.resolve("out");
        List<String> events = new ArrayList<>();
        ExperimentListener recorder = new ExperimentListener() {
            @Override
            public void runStarted(String key, int index, int total) {
                events.add("start " + key + " " + index + "/" + total);
            }

            @Override
            public void runSkipped(RunResult existing) {
                events.add("skip " + existing.key());
            }
        };
        List<RunResult> results = new ExperimentRunner(config(out), SPEC, recorder).run(dir.resolve("work"), pool);

        assertEquals(List.of("start 5/head/1 1/2", "start 5/full/1 2/2"), events);
        assertEquals(2, results.size());
        for (RunResult r : results) {
            assertEquals(20, r.trainImages(), "5 images per class, 4 classes");
            assertEquals(1, r.epochsRun());
            assertEquals(1, r.bestEpoch());
            assertTrue(r.testAccuracy() >= 0 && r.testAccuracy() <= 1, "test accuracy " + r.testAccuracy());
            assertTrue(r.valAccuracy() >= 0 && r.valAccuracy() <= 1, "val accuracy " + r.valAccuracy());
            // a tiny head-only run on cached features can finish within the rounding of the figure (0.1 s)
            assertTrue(r.trainSeconds() >= 0 && r.trainSeconds() < 600, "train seconds " + r.trainSeconds());
        }
        List<String> csv = Files.readAllLines(out.resolve(ResultsFile.FILE_NAME));
        assertEquals(RunResult.CSV_HEADER, csv.get(0));
        assertEquals(3, csv.size());
        assertTrue(csv.get(1).startsWith("5,head,1,20,"), csv.get(1));
        assertTrue(csv.get(2).startsWith("5,full,1,20,"), csv.get(2));
        assertEquals(results, new ResultsFile(out).read());

        ResultTable table = ResultTable.of(results, 4);
        String[] lines = table.toMarkdown().split("\n");
        assertEquals("| images per class | runs | head | full | best |", lines[0]);
        assertEquals("|---|---|---|---|---|", lines[1]);
        assertTrue(lines[2].matches("\\| 5 \\| 1 \\| \\**\\d+\\.\\d ± 0\\.0\\**"
                + " \\| \\**\\d+\\.\\d ± 0\\.0\\** \\| (head|full) \\|"), lines[2]);
        assertEquals("", lines[3]);
        assertEquals("| images per class | head s | head best/run epochs | full s | full best/run epochs |",
                lines[4]);
        assertTrue(lines[6].matches("\\| 5 \\| \\d+\\.\\d ± 0\\.0 \\| 1\\.0 / 1\\.0 \\| \\d+\\.\\d ± 0\\.0"
                + " \\| 1\\.0 / 1\\.0 \\|"), lines[6]);

        Path png = out.resolve("accuracy.png");
        ResultPlot.write(table, "tiny", png);
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(ResultPlot.WIDTH, image.getWidth());
        assertEquals(ResultPlot.HEIGHT, image.getHeight());

        events.clear();
        List<RunResult> again = new ExperimentRunner(config(out), SPEC, recorder).run(dir.resolve("work"), pool);
        assertEquals(List.of("skip 5/head/1", "skip 5/full/1"), events);
        assertEquals(results, again);
    }

    @Test
    void subsetsAreNestedPerSeedAndValidationIsFixed() throws Exception {
        TargetSplit split = TargetSplit.of(io.edgeloop.trainer.data.ImageFolder.scan(SAMPLE.resolve("train")), 10,
                ExperimentConfig.VALIDATION_SPLIT_SEED);
        assertEquals(40, split.validation().size());
        assertEquals(30, split.poolSize(0));
        var five = split.subset(5, 3);
        var twenty = split.subset(20, 3);
        assertEquals(20, five.size());
        assertEquals(80, twenty.size());
        assertTrue(twenty.containsAll(five), "the 5 per class are among the 20 per class of the same seed");
        assertTrue(five.stream().noneMatch(split.validation()::contains), "validation images never train");
        assertEquals(120, split.subset(SizePlan.ALL, 3).size());
        assertTrue(!split.subset(5, 4).equals(five), "another seed draws other images");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TargetSplit.of(
                io.edgeloop.trainer.data.ImageFolder.scan(SAMPLE.resolve("train")), 40, 1));
        assertEquals("class folder " + SAMPLE.resolve("train").resolve("ankle-boot") + " has 40 images; with 40"
                + " held out for validation none is left to train on (allowed: more than 40)", e.getMessage());
    }

    @Test
    void configAndPlanValidationNameTheProblem() {
        assertEquals(new SizePlan(SizePlan.ALL, 2), SizePlan.parse("all:2"));
        assertEquals(new SizePlan(20, 30), SizePlan.parse(" 20:30 "));
        assertEquals("size plan '20' is invalid: expected N:EPOCHS or all:EPOCHS, e.g. 20:30",
                assertThrows(IllegalArgumentException.class, () -> SizePlan.parse("20")).getMessage());
        assertEquals("epochs for 5 images per class is 0, allowed 1..10000",
                assertThrows(IllegalArgumentException.class, () -> SizePlan.parse("5:0")).getMessage());
        assertEquals("strategies [HEAD, AUTO] contain AUTO, allowed head, partial, full, scratch (the experiment"
                + " measures each strategy)", assertThrows(IllegalArgumentException.class,
                        () -> new ExperimentConfig(base, SAMPLE, SAMPLE, List.of(new SizePlan(5, 1)),
                                List.of(FineTuneStrategy.HEAD, FineTuneStrategy.AUTO), List.of(1L), 5, 16, 0.005,
                                0.1, 0.5, 0, dir)).getMessage());
        assertEquals("results line '5,head,1' has 3 fields, expected 10 (" + RunResult.CSV_HEADER + ")",
                assertThrows(IllegalArgumentException.class, () -> RunResult.fromCsv("5,head,1")).getMessage());
        RunResult r = new RunResult(SizePlan.ALL, FineTuneStrategy.PARTIAL, 3, 23800, 0.9512, 0.95, 0.9, 2, 2, 123.4);
        assertEquals("all,partial,3,23800,0.9512,0.9500,0.9000,2,2,123.4", r.toCsv());
        assertEquals(r, RunResult.fromCsv(r.toCsv()));
    }

    @Test
    void cellStatisticsUseTheSampleStandardDeviation() {
        List<RunResult> runs = List.of(
                new RunResult(20, FineTuneStrategy.HEAD, 1, 80, 0.80, 0.8, 0.8, 3, 5, 10),
                new RunResult(20, FineTuneStrategy.HEAD, 2, 80, 0.90, 0.9, 0.9, 5, 5, 20),
                new RunResult(20, FineTuneStrategy.HEAD, 3, 80, 0.85, 0.85, 0.85, 4, 5, 30));
        CellSummary c = CellSummary.of(runs, 4);
        assertEquals(0.85, c.accuracyMean(), 1e-12);
        assertEquals(0.05, c.accuracyStd(), 1e-12);
        assertEquals(20, c.secondsMean(), 1e-12);
        assertEquals(10, c.secondsStd(), 1e-12);
        assertEquals(4, c.bestEpochMean(), 1e-12);
        assertEquals(20, c.trainImagesPerClass(), 1e-12);
    }
}
