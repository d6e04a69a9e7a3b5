package io.edgeloop.trainer.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.edgeloop.protocol.model.ModelPackage;
import io.edgeloop.protocol.preprocess.DecodeLimits;
import io.edgeloop.protocol.preprocess.ImageDecoder;
import io.edgeloop.protocol.preprocess.PreprocessSpec;
import io.edgeloop.trainer.data.DataConfig;
import io.edgeloop.trainer.data.Dataset;
import io.edgeloop.trainer.data.DatasetLoader;
import io.edgeloop.trainer.model.FineTuneStrategy;
import io.edgeloop.trainer.onnx.HeadSpec;
import io.edgeloop.trainer.onnx.OnnxClassifierNetwork;
import io.edgeloop.trainer.onnx.OnnxImporter;
import io.edgeloop.trainer.testing.TestImages;
import io.edgeloop.trainer.testing.TinyConvNetwork;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole fits through the data-parallel path on two CPU "devices" (the test hook: a {@link TrainingDevices} list
 * with the CPU twice), against the same fits on one device.
 */
class FineTunerDataParallelTest {

    static final int SIZE = FineTunerTest.SIZE;
    static final int EPOCHS_ON_SAMPLE = 6;
    static final TrainingDevices TWO_CPUS = new TrainingDevices(Collections.nCopies(2, Device.cpu()));
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

    static Dataset load(boolean augment) throws Exception {
        return FineTunerTest.load(dataDir, pool, augment);
    }

    static FitConfig.Builder config(FineTuneStrategy strategy, boolean augment) {
        return FineTunerTest.config(strategy, augment);
    }

    record Run(FitResult result, Map<String, float[]> parameters, int arraysLeft) {
    }

    static Run fit(FitConfig config, Dataset data, Path out, TrainingDevices devices, boolean resume, int initSeed)
            throws Exception {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            TinyConvNetwork net = TinyConvNetwork.create(manager, 3, SIZE, initSeed);
            FineTuner tuner = devices == null ? new FineTuner(config, out, FitListener.NONE)
                    : new FineTuner(config, out, FitListener.NONE, devices);
            FitResult result = tuner.fit(net, data, manager, pool, resume);
            return new Run(result, FineTunerTest.snapshot(net.block()), manager.getManagedArrays().size());
        }
    }

    @Test
    void headOnCachedFeaturesFollowsTheSingleDeviceRunStepForStep(@TempDir Path out) throws Exception {
        // no BatchNorm trains here, so every step is the full-batch step: 45 images in batches 16, 16, 13 → 8+8,
        // 8+8, 7+6 rows per device
        Dataset data = load(false);
        FitConfig config = config(FineTuneStrategy.HEAD, false).optimiser(OptimiserKind.SGD).learningRate(0.05)
                .build();
        Run single = fit(config, data, out.resolve("one"), null, false, 1);
        Run parallel = fit(config, data, out.resolve("two"), TWO_CPUS, false, 1);
        assertTrue(parallel.result().featureCacheUsed());
        List<EpochMetrics> a = single.result().history();
        List<EpochMetrics> b = parallel.result().history();
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).trainLoss(), b.get(i).trainLoss(), 1e-5, "train loss of epoch " + (i + 1));
            assertEquals(a.get(i).trainAccuracy(), b.get(i).trainAccuracy(), 1e-9, "train accuracy " + (i + 1));
            assertEquals(a.get(i).valLoss(), b.get(i).valLoss(), 1e-5, "validation loss of epoch " + (i + 1));
        }
        for (String name : single.parameters().keySet()) {
            assertArrayEquals(single.parameters().get(name), parallel.parameters().get(name), 1e-5f, name);
        }
        assertEquals(single.arraysLeft(), parallel.arraysLeft(),
                "native arrays left in the run manager: the data-parallel path leaves none of its own");
    }

    @Test
    void fullFineTuningWithBatchNormConvergesLikeTheSingleDeviceRun(@TempDir Path out) throws Exception {
        // BatchNorm trains: each shard is normalised with its own statistics (as with DataParallel), so the runs
        // differ in detail but must learn alike
        Dataset data = load(true);
        FitConfig config = config(FineTuneStrategy.FULL, true).epochs(6).learningRate(0.05).build();
        Run single = fit(config, data, out.resolve("one"), null, false, 1);
        Run parallel = fit(config, data, out.resolve("two"), TWO_CPUS, false, 1);
        List<EpochMetrics> history = parallel.result().history();
        // proof that the batches were split: shard-wise batch statistics change the very first step's loss
        assertNotEquals(single.result().history().get(0).trainLoss(), history.get(0).trainLoss());
        assertTrue(history.get(5).trainLoss() < 0.8 * history.get(0).trainLoss(), history.toString());
        double singleAccuracy = single.result().evaluation().orElseThrow().accuracy();
        double parallelAccuracy = parallel.result().evaluation().orElseThrow().accuracy();
        assertTrue(parallelAccuracy >= 0.8, "data-parallel validation accuracy " + parallelAccuracy);
        assertEquals(singleAccuracy, parallelAccuracy, 0.15, "single " + singleAccuracy + ", parallel "
                + parallelAccuracy);
        assertEquals(single.arraysLeft(), parallel.arraysLeft(),
                "native arrays left in the run manager: the data-parallel path leaves none of its own");
    }

    @Test
    void theCommittedSampleFineTunesAlikeOnTwoReplicas(@TempDir Path out) throws Exception {
        // the committed base model (SimpleCNN with BatchNorm, pretrained on the six source classes) and the committed
        // target-task sample (4 classes × 40 training images), strategy partial as in the demo
        Path base = Path.of("").toAbsolutePath().getParent().resolve("models/base/model.onnx");
        Path sample = Path.of("").toAbsolutePath().getParent().resolve("data/fashion-mnist-target/train");
        PreprocessSpec spec = ModelPackage.read(base).card().preprocessing();
        Dataset data = new DatasetLoader(new ImageDecoder(DecodeLimits.DEFAULT))
                .load(DataConfig.of(sample, spec, 3, false).withValidationFraction(0.25), pool);
        FitConfig config = FitConfig.builder().strategy(FineTuneStrategy.PARTIAL).epochs(EPOCHS_ON_SAMPLE)
                .batchSize(16).imageSize(spec.cropSize()).learningRate(0.01).augment(false).warmupEpochs(0)
                .patience(0).seed(3).build();
        double[] accuracy = new double[2];
        for (int i = 0; i < 2; i++) {
            try (NDManager manager = NDManager.newBaseManager(Device.cpu());
                 OnnxClassifierNetwork net = OnnxImporter.load(base, HeadSpec.auto(4, 3), manager)) {
                FineTuner tuner = i == 0 ? new FineTuner(config, out.resolve("one"), FitListener.NONE)
                        : new FineTuner(config, out.resolve("two"), FitListener.NONE, TWO_CPUS);
                FitResult result = tuner.fit(net, data, manager, pool, false);
                accuracy[i] = result.evaluation().orElseThrow().accuracy();
                List<EpochMetrics> history = result.history();
                assertTrue(history.get(history.size() - 1).trainLoss() < 0.7 * history.get(0).trainLoss(),
                        history.toString());
            }
        }
        assertTrue(accuracy[0] >= 0.75 && accuracy[1] >= 0.75, "validation accuracy single " + accuracy[0]
                + ", two replicas " + accuracy[1]);
        assertEquals(accuracy[0], accuracy[1], 0.1, "single " + accuracy[0] + ", two replicas " + accuracy[1]);
    }

    @Test
    void aDataParallelRunResumesFromItsCheckpointLikeAnUninterruptedOne(@TempDir Path out) throws Exception {
        // a constant rate, so 2 epochs + 2 resumed epochs follow the same schedule as 4 epochs in one go
        Dataset data = load(true);
        FitConfig four = config(FineTuneStrategy.FULL, true).schedule(ScheduleKind.STEP).stepEpochs(100).build();
        FitConfig two = four.toBuilder().epochs(2).build();
        Run whole = fit(four, data, out.resolve("whole"), TWO_CPUS, false, 1);
        fit(two, data, out.resolve("split"), TWO_CPUS, false, 1);
        Run resumed = fit(four, data, out.resolve("split"), TWO_CPUS, true, 99); // other init: the checkpoint wins
        assertEquals(2, resumed.result().resumedAfterEpoch());
        assertEquals(4, resumed.result().history().size());
        for (String name : whole.parameters().keySet()) {
            assertArrayEquals(whole.parameters().get(name), resumed.parameters().get(name), 1e-5f, name);
        }
    }

    @Test
    void aNonFiniteLossInAnyShardStopsTheRunWithTheUsualMessage(@TempDir Path out) throws Exception {
        Dataset data = load(false);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            TinyConvNetwork inner = TinyConvNetwork.create(manager, 3, SIZE, 1);
            // two training forward passes per step (one per shard): the 6th is step 3's second shard, the replica
            FineTunerTest.PoisonedNetwork net = new FineTunerTest.PoisonedNetwork(inner, 6);
            FitConfig config = config(FineTuneStrategy.FULL, false).learningRate(0.01).build();
            NonFiniteLossException e = assertThrows(NonFiniteLossException.class,
                    () -> new FineTuner(config, out, FitListener.NONE, TWO_CPUS).fit(net, data, manager, pool,
                            false));
            // 45 images, batch 16: 3 steps per epoch, 12 in all; the cosine rate of step 3 is
            // 0.01 × (1 + cos(π × 2/12)) / 2 = 0.0093
            assertEquals("loss became NaN at epoch 1 step 3; lower the learning rate (now 0.0093, --lr) or check"
                    + " the images of this batch", e.getMessage());
        }
    }

    @Test
    void restoringTheBestWeightsLeavesOnlyTheNetworksArrays(@TempDir Path out) throws Exception {
        // a rate this small leaves the weights unchanged and the frozen backbone's BatchNorm statistics stay put:
        // epoch 1 stays the best and is restored at the end
        Dataset data = load(false);
        FitConfig config = config(FineTuneStrategy.HEAD, false).epochs(3).learningRate(1e-12).build();
        Run single = fit(config, data, out.resolve("one"), null, false, 1);
        Run parallel = fit(config, data, out.resolve("two"), TWO_CPUS, false, 1);
        assertEquals(1, single.result().bestEpoch());
        assertEquals(1, parallel.result().bestEpoch());
        assertEquals(20, single.arraysLeft(), "the network's 20 parameter arrays and nothing else");
        assertEquals(20, parallel.arraysLeft(), "the network's 20 parameter arrays and nothing else");
    }

    @Test
    void theNetworkMustBeOnThePrimaryDevice(@TempDir Path out) throws Exception {
        Dataset data = load(false);
        TrainingDevices gpus = new TrainingDevices(List.of(Device.gpu(0), Device.gpu(1)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> fit(config(FineTuneStrategy.HEAD, false).epochs(1).build(), data, out, gpus, false, 1));
        assertEquals("the network's parameters are on cpu() but the primary training device is gpu(0); load the"
                + " network on the primary device", e.getMessage());
    }
}
