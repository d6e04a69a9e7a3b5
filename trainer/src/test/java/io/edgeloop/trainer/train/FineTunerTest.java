package io.edgeloop.trainer.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.edgeloop.protocol.preprocess.DecodeLimits;
import io.edgeloop.protocol.preprocess.ImageDecoder;
import io.edgeloop.protocol.preprocess.PreprocessSpec;
import io.edgeloop.trainer.data.DataConfig;
import io.edgeloop.trainer.data.Dataset;
import io.edgeloop.trainer.data.DatasetLoader;
import io.edgeloop.trainer.model.ClassifierNetwork;
import io.edgeloop.trainer.model.FineTuneStrategy;
import io.edgeloop.trainer.testing.TestImages;
import io.edgeloop.trainer.testing.TinyConvNetwork;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FineTunerTest {

    static final int SIZE = 32;
    static final PreprocessSpec SPEC = PreprocessSpec.imagenet(36, SIZE);
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
        return load(dataDir, pool, augment);
    }

    /** The three-class test dataset in {@code dir} ({@link TestImages#writeDataset}), a quarter held out. */
    static Dataset load(Path dir, ExecutorService pool, boolean augment) throws Exception {
        return new DatasetLoader(new ImageDecoder(DecodeLimits.DEFAULT))
                .load(DataConfig.of(dir, SPEC, 1, augment).withValidationFraction(0.25), pool);
    }

    /** The fit settings the trainer's tests start from: 4 epochs, batch 16, lr 0.02, no warmup, no early stop. */
    static FitConfig.Builder config(FineTuneStrategy strategy, boolean augment) {
        return FitConfig.builder().strategy(strategy).epochs(4).batchSize(16).imageSize(SIZE).learningRate(0.02)
                .augment(augment).warmupEpochs(0).patience(0).seed(1);
    }

    static Map<String, float[]> snapshot(Block block) {
        Map<String, float[]> values = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            values.put(p.getKey(), p.getValue().getArray().toFloatArray());
        }
        return values;
    }

    @Test
    void headTrainsOnCachedFeaturesAndLeavesTheBackboneBitIdentical(@TempDir Path out) throws Exception {
        Dataset data = load(false);
        try (NDManager manager = NDManager.newBaseManager()) {
            TinyConvNetwork net = TinyConvNetwork.create(manager, 3, SIZE, 1);
            Map<String, float[]> before = snapshot(net.block());
            FitResult result = new FineTuner(config(FineTuneStrategy.HEAD, false).epochs(8).learningRate(0.05)
                    .logEverySteps(3).build(), out, FitListener.NONE).fit(net, data, manager, pool, false);
            assertTrue(result.featureCacheUsed());
            assertEquals(8, result.history().size());
            assertTrue(result.history().stream().allMatch(EpochMetrics::featureCache));
            assertTrue(result.evaluation().orElseThrow().accuracy() > 0.8, result.evaluation().toString());
            Map<String, float[]> after = snapshot(net.block());
            for (String name : before.keySet()) {
                if (name.startsWith("04head")) {
                    assertFalse(java.util.Arrays.equals(before.get(name), after.get(name)), name + " trained");
                } else {
                    assertArrayEquals(before.get(name), after.get(name), name + " (incl. BatchNorm statistics)");
                }
            }
            // 45 training images in batches of 16: 3 steps per epoch, so one step line before each epoch line
            List<String> lines = Files.readAllLines(out.resolve(MetricsLog.FILE_NAME));
            assertEquals(16, lines.size());
            assertTrue(lines.get(0).startsWith("{\"type\":\"step\",\"epoch\":1,\"step\":3,\"loss\":"), lines.get(0));
            assertTrue(lines.get(1).startsWith("{\"type\":\"epoch\",\"epoch\":1,\"trainLoss\":"), lines.get(1));
            assertTrue(Files.exists(out.resolve(Checkpoint.FILE_NAME)));
        }
    }

    @Test
    void fullFineTuningWithAugmentationTrainsTheBackboneAtTheSmallerRate(@TempDir Path out) throws Exception {
        Dataset data = load(true);
        try (NDManager manager = NDManager.newBaseManager()) {
            TinyConvNetwork net = TinyConvNetwork.create(manager, 3, SIZE, 1);
            Map<String, float[]> before = snapshot(net.block());
            FitConfig config = config(FineTuneStrategy.FULL, true).warmupEpochs(1).build();
            FitResult result = new FineTuner(config, out, FitListener.NONE).fit(net, data, manager, pool, false);
            assertFalse(result.featureCacheUsed());
            assertEquals(4, result.history().size());
            assertTrue(result.history().get(3).trainLoss() < result.history().get(0).trainLoss(),
                    result.history().toString());
            Map<String, float[]> after = snapshot(net.block());
            assertFalse(java.util.Arrays.equals(before.get("01stage0_01Conv2d_weight"),
                    after.get("01stage0_01Conv2d_weight")));
            List<TrainableParameter> trainable = TrainableParameters.select(net, FineTuneStrategy.FULL, 0.1);
            for (TrainableParameter p : trainable) {
                assertEquals(p.name().startsWith("04head") ? 1.0 : 0.1, p.lrFactor(), p.name());
            }
            assertTrue(trainable.stream().noneMatch(p -> p.name().contains("running")));
        }
    }

    @Test
    void autoResolvesFromImagesPerClassAndReportsWhy(@TempDir Path out) throws Exception {
        Dataset data = load(false);
        try (NDManager manager = NDManager.newBaseManager()) {
            TinyConvNetwork net = TinyConvNetwork.create(manager, 3, SIZE, 1);
            FitResult result = new FineTuner(config(FineTuneStrategy.AUTO, false).epochs(1).build(), out,
                    FitListener.NONE).fit(net, data, manager, pool, false);
            // thresholds from docs/transfer-learning.md: auto never picks the head alone
            assertEquals(FineTuneStrategy.PARTIAL, result.decision().chosen());
            assertEquals("auto: median 15 training images per class in 1..200 → partial fine-tuning",
                    result.decision().reason());
            assertFalse(net.backboneFrozen());
            assertFalse(result.featureCacheUsed());
        }
    }

    @Test
    void nativeArraysDoNotAccumulateWithSteps(@TempDir Path out) throws Exception {
        Dataset data = load(true);
        int[] counts = new int[2];
        int[] epochs = {1, 3};
        for (int i = 0; i < 2; i++) {
            try (NDManager manager = NDManager.newBaseManager()) {
                TinyConvNetwork net = TinyConvNetwork.create(manager, 3, SIZE, 1);
                new FineTuner(config(FineTuneStrategy.FULL, true).epochs(epochs[i]).optimiser(OptimiserKind.SGD)
                        .build(), out.resolve("run" + i), FitListener.NONE).fit(net, data, manager, pool, false);
                counts[i] = manager.getManagedArrays().size();
            }
        }
        assertEquals(counts[0], counts[1], "arrays left in the run's manager after 1 and after 3 epochs");
        assertEquals(20, counts[0], "the network's 20 parameter arrays and nothing else");
    }

    @Test
    void earlyStoppingKeepsTheBestEpoch(@TempDir Path out) throws Exception {
        Dataset data = load(false);
        try (NDManager manager = NDManager.newBaseManager()) {
            TinyConvNetwork net = TinyConvNetwork.create(manager, 3, SIZE, 1);
            // a rate this small leaves float32 weights unchanged: no later epoch can beat (or tie lower) epoch 1
            FitConfig config = config(FineTuneStrategy.HEAD, false).epochs(10).learningRate(1e-12).patience(2)
                    .build();
            FitResult result = new FineTuner(config, out, FitListener.NONE).fit(net, data, manager, pool, false);
            assertTrue(result.stoppedEarly());
            assertEquals(3, result.history().size());
            assertEquals(1, result.bestEpoch());
            assertEquals(List.of(true, false, false),
                    result.history().stream().map(EpochMetrics::improved).toList());
        }
    }

    @Test
    void bestWeightsAreRestoredAtTheEnd(@TempDir Path out) throws Exception {
        Dataset data = load(true);
        try (NDManager manager = NDManager.newBaseManager()) {
            TinyConvNetwork net = TinyConvNetwork.create(manager, 3, SIZE, 1);
            FitConfig config = config(FineTuneStrategy.FULL, true).epochs(6).learningRate(0.05).build();
            FitResult result = new FineTuner(config, out, FitListener.NONE).fit(net, data, manager, pool, false);
            EpochMetrics best = result.history().get(result.bestEpoch() - 1);
            assertTrue(best.improved());
            assertEquals(best.valLoss(), result.evaluation().orElseThrow().loss(), 1e-5);
            assertEquals(best.valAccuracy(), result.evaluation().orElseThrow().accuracy(), 1e-9);
        }
    }

    @Test
    void nonFiniteLossStopsWithAClearMessage(@TempDir Path out) throws Exception {
        Dataset data = load(false);
        try (NDManager manager = NDManager.newBaseManager()) {
            ClassifierNetwork net = new PoisonedNetwork(TinyConvNetwork.create(manager, 3, SIZE, 1), 5);
            FitConfig config = config(FineTuneStrategy.FULL, false).learningRate(0.01).build();
            NonFiniteLossException e = assertThrows(NonFiniteLossException.class,
                    () -> new FineTuner(config, out, FitListener.NONE).fit(net, data, manager, pool, false));
            // 45 training images, batch 16: 3 steps per epoch; the 5th forward pass is epoch 2 step 2, where the
            // cosine rate is 0.01 × (1 + cos(π × 4/12)) / 2 = 0.0075
            assertEquals("loss became NaN at epoch 2 step 2; lower the learning rate (now 0.0075, --lr) or check"
                    + " the images of this batch", e.getMessage());
        }
    }

    @Test
    void anExistingRunIsNotOverwrittenAndResumeNeedsACheckpoint(@TempDir Path out) throws Exception {
        Dataset data = load(false);
        try (NDManager manager = NDManager.newBaseManager()) {
            TinyConvNetwork net = TinyConvNetwork.create(manager, 3, SIZE, 1);
            FitConfig config = config(FineTuneStrategy.HEAD, false).epochs(1).build();
            IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                    () -> new FineTuner(config, out, FitListener.NONE).fit(net, data, manager, pool, true));
            assertEquals("--resume given but " + out.resolve("checkpoint.bin") + " does not exist",
                    missing.getMessage());
            new FineTuner(config, out, FitListener.NONE).fit(net, data, manager, pool, false);
            IllegalArgumentException exists = assertThrows(IllegalArgumentException.class,
                    () -> new FineTuner(config, out, FitListener.NONE).fit(net, data, manager, pool, false));
            assertEquals("output folder " + out + " already holds a run (checkpoint.bin); use --resume to continue"
                    + " it or choose another output folder", exists.getMessage());
            FitConfig full = config(FineTuneStrategy.FULL, false).epochs(2).build();
            IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
                    () -> new FineTuner(full, out, FitListener.NONE).fit(net, data, manager, pool, true));
            assertEquals("cannot resume from " + out.resolve("checkpoint.bin") + ": it was trained with strategy"
                    + " HEAD, this run uses FULL", other.getMessage());
        }
    }

    @Test
    void anInterruptedRunResumesFromItsLastCheckpointAndEndsLikeAnUninterruptedOne(@TempDir Path out,
                                                                                    @TempDir Path reference)
            throws Exception {
        Dataset data = load(true);
        FitConfig config = config(FineTuneStrategy.FULL, true).epochs(5).warmupEpochs(1).build();
        Map<String, float[]> expected;
        List<EpochMetrics> expectedHistory;
        try (NDManager manager = NDManager.newBaseManager()) {
            TinyConvNetwork net = TinyConvNetwork.create(manager, 3, SIZE, 1);
            expectedHistory = new FineTuner(config, reference, FitListener.NONE)
                    .fit(net, data, manager, pool, false).history();
            expected = snapshot(net.block());
        }

        CountDownLatch inEpoch3 = new CountDownLatch(1);
        FitListener pauseInEpoch3 = new FitListener() {
            @Override
            public void stepFinished(int epoch, int step, int imagesSoFar, double loss, double accuracy,
                                     double imagesPerSecond) {
                if (epoch == 3 && step == 1) {
                    inEpoch3.countDown();
                    try {
                        Thread.sleep(60_000); // until the test interrupts this thread
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        };
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread training = new Thread(() -> {
            try (NDManager manager = NDManager.newBaseManager()) {
                TinyConvNetwork net = TinyConvNetwork.create(manager, 3, SIZE, 1);
                new FineTuner(config, out, pauseInEpoch3).fit(net, data, manager, pool, false);
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "interrupted-training");
        training.start();
        assertTrue(inEpoch3.await(60, TimeUnit.SECONDS), () -> "training ended early: " + failure.get());
        training.interrupt();
        training.join(60_000);
        assertTrue(failure.get() instanceof CancellationException, String.valueOf(failure.get()));
        assertEquals("training interrupted in epoch 3 step 2; the checkpoint of epoch 2 is kept (continue with"
                + " --resume)", failure.get().getMessage());
        assertEquals(2, Files.readAllLines(out.resolve(MetricsLog.FILE_NAME)).size());

        try (NDManager manager = NDManager.newBaseManager()) {
            TinyConvNetwork net = TinyConvNetwork.create(manager, 3, SIZE, 99); // other init: the checkpoint wins
            List<Integer> epochsRun = new ArrayList<>();
            FitResult resumed = new FineTuner(config, out, new FitListener() {
                @Override
                public void epochStarted(int epoch, int epochs, int steps, int images) {
                    epochsRun.add(epoch);
                }
            }).fit(net, data, manager, pool, true);
            assertEquals(List.of(3, 4, 5), epochsRun);
            assertEquals(2, resumed.resumedAfterEpoch());
            assertEquals(5, resumed.history().size());
            assertEquals(5, Files.readAllLines(out.resolve(MetricsLog.FILE_NAME)).size());
            Map<String, float[]> actual = snapshot(net.block());
            for (String name : expected.keySet()) {
                assertArrayEquals(expected.get(name), actual.get(name), 1e-5f, name);
            }
            for (int i = 0; i < 5; i++) {
                assertEquals(expectedHistory.get(i).trainLoss(), resumed.history().get(i).trainLoss(), 1e-5);
                assertEquals(expectedHistory.get(i).valLoss(), resumed.history().get(i).valLoss(), 1e-5);
            }
            assertNotEquals(0, resumed.history().get(4).trainLoss());
        }
    }

    /** A real network whose logits turn NaN from the n-th training forward pass on (a diverging run). */
    static final class PoisonedNetwork implements ClassifierNetwork {
        private final TinyConvNetwork inner;
        private final int poisonFrom;
        private final Block block;
        private int calls;

        PoisonedNetwork(TinyConvNetwork inner, int poisonFrom) {
            this.inner = inner;
            this.poisonFrom = poisonFrom;
            this.block = new ai.djl.nn.AbstractBlock() {
                {
                    addChildBlock("net", inner.block());
                }

                @Override
                protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                                 ai.djl.util.PairList<String, Object> params) {
                    NDArray logits = inner.block().forward(store, inputs, training).singletonOrThrow();
                    if (training && ++calls >= PoisonedNetwork.this.poisonFrom) {
                        logits = logits.mul(Float.NaN);
                    }
                    return new NDList(logits);
                }

                @Override
                protected void initializeChildBlocks(NDManager manager, ai.djl.ndarray.types.DataType dataType,
                                                     ai.djl.ndarray.types.Shape... inputShapes) {
                    // the wrapped network is initialised already
                }

                @Override
                public ai.djl.ndarray.types.Shape[] getOutputShapes(ai.djl.ndarray.types.Shape[] inputShapes) {
                    return inner.block().getOutputShapes(inputShapes);
                }
            };
        }

        @Override
        public Block block() {
            return block;
        }

        @Override
        public int numClasses() {
            return inner.numClasses();
        }

        @Override
        public int imageSize() {
            return inner.imageSize();
        }

        @Override
        public void applyStrategy(FineTuneStrategy strategy, double freezeFraction) {
            inner.applyStrategy(strategy, freezeFraction);
        }

        @Override
        public List<Parameter> headParameters() {
            return inner.headParameters();
        }

        @Override
        public boolean backboneFrozen() {
            return inner.backboneFrozen();
        }

        @Override
        public NDList forwardBackbone(ParameterStore store, NDList images, boolean training) {
            return inner.forwardBackbone(store, images, training);
        }

        @Override
        public NDList forwardHead(ParameterStore store, NDList features, boolean training) {
            return inner.forwardHead(store, features, training);
        }
    }
}
