package io.edgeloop.trainer.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.edgeloop.trainer.data.Dataset;
import io.edgeloop.trainer.model.FineTuneStrategy;
import io.edgeloop.trainer.testing.TestImages;
import io.edgeloop.trainer.testing.TinyConvNetwork;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Listeners added to whole fits through {@link FineTuner#builder}: the hooks, their order, stop requests. */
class TrainingListenerTest {

    static ExecutorService pool;
    @TempDir
    static Path dataDir;

    @BeforeAll
    static void setUp() throws Exception {
        pool = Executors.newFixedThreadPool(2);
        TestImages.writeDataset(dataDir, new String[] {"a", "b", "c"}, new int[] {20, 20, 20}, 40, 7);
    }

    @AfterAll
    static void tearDown() throws Exception {
        pool.shutdownNow();
        pool.awaitTermination(10, TimeUnit.SECONDS);
    }

    /** Writes down every hook (and the FitListener's calls, into the same list); asks to stop after an epoch. */
    static final class Recorder implements TrainingListener, FitListener {
        final List<String> calls = new ArrayList<>();
        final int stopAfter;
        final Path outDir;

        Recorder(int stopAfter, Path outDir) {
            this.stopAfter = stopAfter;
            this.outDir = outDir;
        }

        @Override
        public void onTrainingBegin(TrainingRun run) {
            calls.add("begin after " + run.progress().epochsCompleted());
        }

        @Override
        public void onEpochBegin(TrainingRun run, EpochPlan plan) {
            calls.add("epoch " + plan.epoch() + "/" + plan.epochs() + " " + plan.steps() + " steps " + plan.images()
                    + " images");
        }

        @Override
        public void onStep(TrainingRun run, StepMetrics step) {
            calls.add("step " + step.epoch() + "." + step.step() + " #" + step.globalStep() + " " + step.images());
        }

        @Override
        public void onEpochEnd(TrainingRun run, EpochMetrics metrics, Optional<Evaluation> validation) {
            try {
                // the built-in listeners ran first: this epoch's line is logged, so its checkpoint is on disk
                long logged = Files.readAllLines(outDir.resolve(MetricsLog.FILE_NAME)).stream()
                        .filter(l -> l.startsWith("{\"type\":\"epoch\"")).count();
                calls.add("end " + metrics.epoch() + " progress " + run.progress().epochsCompleted() + " validated "
                        + validation.map(Evaluation::images).orElse(0) + " logged " + logged + " checkpoint "
                        + Files.exists(outDir.resolve(Checkpoint.FILE_NAME)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (metrics.epoch() == stopAfter) {
                run.requestStop("enough");
            }
        }

        @Override
        public void onTrainingEnd(TrainingRun run) {
            calls.add("training end after " + run.progress().epochsCompleted());
        }

        @Override
        public void close() {
            calls.add("close");
        }

        @Override
        public void epochStarted(int epoch, int epochs, int steps, int images) {
            calls.add("fit: started " + epoch);
        }

        @Override
        public void epochFinished(EpochMetrics metrics) {
            calls.add("fit: finished " + metrics.epoch());
        }
    }

    static FitConfig headOnCachedFeatures(int epochs) {
        // 45 training images in batches of 16: 3 steps per epoch
        return FineTunerTest.config(FineTuneStrategy.HEAD, false).epochs(epochs).build();
    }

    static FitResult fit(FineTuner tuner, Dataset data) throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            TinyConvNetwork net = TinyConvNetwork.create(manager, 3, FineTunerTest.SIZE, 1);
            return tuner.fit(net, data, manager, pool, false);
        }
    }

    @Test
    void anAddedListenerSeesEveryHookInOrderAfterTheBuiltInOnesAndCanStopTheRun(@TempDir Path out)
            throws Exception {
        Dataset data = FineTunerTest.load(dataDir, pool, false);
        Recorder recorder = new Recorder(2, out);
        FitResult result = fit(FineTuner.builder(headOnCachedFeatures(5), out).optFitListener(recorder)
                .addTrainingListener(recorder).build(), data);
        assertEquals(List.of("begin after 0",
                "fit: started 1", "epoch 1/5 3 steps 45 images", "step 1.1 #1 16", "step 1.2 #2 32", "step 1.3 #3 45",
                "fit: finished 1", "end 1 progress 1 validated 15 logged 1 checkpoint true",
                "fit: started 2", "epoch 2/5 3 steps 45 images", "step 2.1 #4 16", "step 2.2 #5 32", "step 2.3 #6 45",
                "fit: finished 2", "end 2 progress 2 validated 15 logged 2 checkpoint true",
                "training end after 2", "close"), recorder.calls);
        assertTrue(result.stoppedEarly());
        assertEquals(2, result.history().size());
        assertEquals(2, Files.readAllLines(out.resolve(MetricsLog.FILE_NAME)).size());
    }

    @Test
    void aStopRequestedInTheLastEpochIsNoEarlyStop(@TempDir Path out) throws Exception {
        Dataset data = FineTunerTest.load(dataDir, pool, false);
        Recorder recorder = new Recorder(2, out);
        FitResult result = fit(FineTuner.builder(headOnCachedFeatures(2), out).addTrainingListener(recorder)
                .build(), data);
        assertFalse(result.stoppedEarly());
        assertEquals(2, result.history().size());
    }

    @Test
    void aFailedRunClosesItsListenersButDoesNotEndTraining(@TempDir Path out) throws Exception {
        Dataset data = FineTunerTest.load(dataDir, pool, false);
        Recorder recorder = new Recorder(0, out);
        FitConfig config = FineTunerTest.config(FineTuneStrategy.FULL, false).learningRate(0.01).build();
        try (NDManager manager = NDManager.newBaseManager()) {
            // NaN logits from the 5th training forward pass: epoch 2 step 2
            FineTunerTest.PoisonedNetwork net = new FineTunerTest.PoisonedNetwork(
                    TinyConvNetwork.create(manager, 3, FineTunerTest.SIZE, 1), 5);
            FineTuner tuner = FineTuner.builder(config, out).addTrainingListener(recorder).build();
            assertThrows(NonFiniteLossException.class, () -> tuner.fit(net, data, manager, pool, false));
        }
        assertEquals(List.of("step 2.1 #4 16", "close"), recorder.calls.subList(recorder.calls.size() - 2,
                recorder.calls.size()));
        assertFalse(recorder.calls.stream().anyMatch(c -> c.startsWith("training end")), recorder.calls.toString());
    }

    /** The best parameters a checkpoint file holds, read into a scratch network. */
    static byte[] bestInCheckpoint(Path file, FitConfig config) throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            TinyConvNetwork net = TinyConvNetwork.create(manager, 3, FineTunerTest.SIZE, 1);
            net.applyStrategy(FineTuneStrategy.FULL, 0);
            try (GroupedOptimizer optimizer = new GroupedOptimizer(config, manager)) {
                return Checkpoint.load(file, net.block(), manager, optimizer,
                        TrainableParameters.select(net, FineTuneStrategy.FULL, 0.1)).bestParameters();
            }
        }
    }

    @Test
    void theCheckpointHoldsTheBestWeightsAndTheyAreBackBeforeAnAddedListenersTrainingEnd(@TempDir Path out)
            throws Exception {
        Dataset data = FineTunerTest.load(dataDir, pool, true);
        FitConfig config = FineTunerTest.config(FineTuneStrategy.FULL, true).epochs(6).learningRate(0.05).build();
        List<byte[]> epochParameters = new ArrayList<>();
        List<String> checkpointHoldsTheBest = new ArrayList<>();
        byte[][] atTrainingEnd = new byte[1][];
        TrainingListener snapshots = new TrainingListener() {
            @Override
            public void onEpochEnd(TrainingRun run, EpochMetrics metrics, Optional<Evaluation> validation)
                    throws IOException {
                byte[] now = run.context().parameters().snapshot();
                epochParameters.add(now);
                if (metrics.improved()) {
                    // the checkpoint of the improving epoch itself must hold its weights, or a resume loses them
                    byte[] best = bestInCheckpoint(out.resolve(Checkpoint.FILE_NAME), config);
                    checkpointHoldsTheBest.add(metrics.epoch() + ":" + java.util.Arrays.equals(now, best));
                }
            }

            @Override
            public void onTrainingEnd(TrainingRun run) throws IOException {
                atTrainingEnd[0] = run.context().parameters().snapshot();
            }
        };
        FitResult result = fit(FineTuner.builder(config, out).addTrainingListener(snapshots).build(), data);
        assertTrue(result.bestEpoch() < 6, "this seed's best epoch is not the last: " + result.history());
        assertArrayEquals(epochParameters.get(result.bestEpoch() - 1), atTrainingEnd[0]);
        assertTrue(checkpointHoldsTheBest.stream().allMatch(c -> c.endsWith(":true")), checkpointHoldsTheBest
                .toString());
        assertEquals(result.history().stream().filter(EpochMetrics::improved).count(),
                checkpointHoldsTheBest.size());
    }

    @Test
    void theBuilderNamesAMissingArgument() {
        NullPointerException e = assertThrows(NullPointerException.class,
                () -> FineTuner.builder(headOnCachedFeatures(1), Path.of("out")).addTrainingListener(null));
        assertEquals("listener", e.getMessage());
    }
}
