package io.edgeloop.trainer.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.edgeloop.trainer.model.FineTuneStrategy;
import io.edgeloop.trainer.onnx.HeadSpec;
import io.edgeloop.trainer.onnx.OnnxClassifierNetwork;
import io.edgeloop.trainer.onnx.OnnxImporter;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The data-parallel step on N "devices" that are all the CPU: the split, the per-shard forward and backward on
 * replica copies, the weighted gradient combination and the single optimiser step are the code a multi-GPU run
 * executes. Real imported ONNX CNNs (torchvision ResNet-18 layout, small widths; see src/test/python/make_fixtures.py).
 */
class DataParallelStepTest {

    /** BatchNorm folded into the convolutions: every layer trains and no batch statistics are involved. */
    static final Path FOLDED = Paths.get("src", "test", "resources", "onnx", "arch", "resnet18_op17_dyn_fold.onnx");
    /** With BatchNorm layers. */
    static final Path WITH_BN = Paths.get("src", "test", "resources", "onnx", "arch", "resnet18_op13_dyn_bn.onnx");
    static final int CLASSES = 3;
    static final int SIZE = 64;

    record StepOutcome(Map<String, float[]> gradients, Map<String, float[]> parameters, float loss, float[] logits) {
    }

    static FitConfig sgd() {
        return FitConfig.builder().strategy(FineTuneStrategy.FULL).optimiser(OptimiserKind.SGD).momentum(0)
                .weightDecay(0).imageSize(SIZE).build();
    }

    static float[] images(int n, long seed) {
        Random random = new Random(seed);
        float[] x = new float[n * 3 * SIZE * SIZE];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        return x;
    }

    static int[] labels(int n) {
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (i * 7 + 1) % CLASSES;
        }
        return labels;
    }

    static TrainingDevices cpus(int n) {
        return new TrainingDevices(Collections.nCopies(n, Device.cpu()));
    }

    /** One training step of a freshly imported network on {@code devices} (1 = the FineTuner's single path). */
    static StepOutcome step(Path model, FineTuneStrategy strategy, int devices, int batch, ClassificationLoss loss,
                            FitConfig config) {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu());
             OnnxClassifierNetwork net = OnnxImporter.load(model, HeadSpec.auto(CLASSES, 7), manager);
             GroupedOptimizer optimizer = new GroupedOptimizer(config, manager)) {
            net.applyStrategy(strategy, 0.5);
            List<TrainableParameter> trainable = TrainableParameters.select(net, strategy, 0.5);
            TrainableParameters.syncGradientFlags(net);
            ParameterStore store = new ParameterStore(manager, false);
            int[] labels = labels(batch);
            float loss0;
            float[] logits;
            Map<String, float[]> gradients = new LinkedHashMap<>();
            try (NDManager batchManager = manager.newSubManager()) {
                NDArray x = batchManager.create(images(batch, 11), new Shape(batch, 3, SIZE, SIZE));
                if (devices == 1) {
                    try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                        NDArray out = net.block().forward(store, new NDList(x), true).singletonOrThrow();
                        NDArray l = loss.compute(out, batchManager.create(labels));
                        loss0 = l.getFloat();
                        collector.backward(l);
                        logits = out.toFloatArray();
                    }
                } else {
                    try (DataParallelStep parallel = new DataParallelStep(cpus(devices), trainable, manager)) {
                        DataParallelStep.Result r = parallel.forwardBackward(store, x, labels, loss,
                                (s, in) -> net.block().forward(s, new NDList(in), true).singletonOrThrow());
                        loss0 = r.loss();
                        logits = r.logits();
                    }
                }
                for (TrainableParameter tp : trainable) {
                    gradients.put(tp.name(), tp.parameter().getArray().getGradient().toFloatArray());
                }
                optimizer.step(trainable, 0.5);
            }
            Map<String, float[]> parameters = new LinkedHashMap<>();
            for (Pair<String, Parameter> p : net.block().getParameters()) {
                parameters.put(p.getKey(), p.getValue().getArray().toFloatArray());
            }
            return new StepOutcome(gradients, parameters, loss0, logits);
        }
    }

    /** max |a − b| over the tensor, relative to the tensor's largest magnitude. */
    static double relativeDifference(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        double diff = 0;
        double scale = 0;
        for (int i = 0; i < a.length; i++) {
            diff = Math.max(diff, Math.abs(a[i] - b[i]));
            scale = Math.max(scale, Math.abs(a[i]));
        }
        return scale == 0 ? diff : diff / scale;
    }

    static void assertClose(Map<String, float[]> expected, Map<String, float[]> actual, double tolerance,
                            String what) {
        assertEquals(expected.keySet(), actual.keySet());
        for (String name : expected.keySet()) {
            double d = relativeDifference(expected.get(name), actual.get(name));
            assertTrue(d <= tolerance, what + " '" + name + "' differs by " + d + " (relative), allowed " + tolerance);
        }
    }

    @Test
    void twoAndThreeReplicasGiveTheFullBatchGradientAndTheSameStep() {
        ClassificationLoss loss = new ClassificationLoss(CLASSES, 0.1, Optional.empty());
        StepOutcome one = step(FOLDED, FineTuneStrategy.FULL, 1, 7, loss, sgd());
        assertTrue(one.gradients().size() > 20, "every layer trains: " + one.gradients().keySet());
        for (int devices : new int[] {2, 3}) {
            StepOutcome n = step(FOLDED, FineTuneStrategy.FULL, devices, 7, loss, sgd());
            assertClose(one.gradients(), n.gradients(), 1e-5, devices + " replicas: gradient of");
            assertClose(one.parameters(), n.parameters(), 1e-6, devices + " replicas: parameter");
            assertEquals(one.loss(), n.loss(), 1e-6 * Math.abs(one.loss()), devices + " replicas: loss");
            assertArrayEquals(one.logits(), n.logits(), 1e-5f, devices + " replicas: logits in batch order");
        }
    }

    @Test
    void classWeightsWeighEachShardByItsShareOfTheBatchWeight() {
        // unequal weights and an uneven split (4 + 3): n_i / n would be wrong here, W_i / W is right
        ClassificationLoss loss = new ClassificationLoss(CLASSES, 0, Optional.of(new float[] {0.5f, 2f, 1f}));
        StepOutcome one = step(FOLDED, FineTuneStrategy.FULL, 1, 7, loss, sgd());
        StepOutcome two = step(FOLDED, FineTuneStrategy.FULL, 2, 7, loss, sgd());
        assertClose(one.gradients(), two.gradients(), 1e-5, "class-weighted gradient of");
        assertClose(one.parameters(), two.parameters(), 1e-6, "class-weighted parameter");
        assertEquals(one.loss(), two.loss(), 1e-6 * Math.abs(one.loss()));
    }

    @Test
    void aBatchSmallerThanTheDeviceCountSkipsTheEmptyShards() {
        ClassificationLoss loss = new ClassificationLoss(CLASSES, 0.1, Optional.empty());
        StepOutcome one = step(FOLDED, FineTuneStrategy.FULL, 1, 2, loss, sgd());
        StepOutcome three = step(FOLDED, FineTuneStrategy.FULL, 3, 2, loss, sgd()); // shards 1, 1, 0
        assertClose(one.gradients(), three.gradients(), 1e-5, "gradient of");
        // with one image per shard the shards' float rounding is not averaged away: CI measured 1.25e-6 here,
        // about ten float32 ulps of the largest parameter; a wrong shard weighting would differ by percents
        assertClose(one.parameters(), three.parameters(), 5e-6, "parameter");
        assertEquals(2 * CLASSES, three.logits().length);
    }

    @Test
    void headStrategyWithAdamWMatchesAndLeavesTheFrozenBackboneBitIdentical() {
        FitConfig adamw = FitConfig.builder().strategy(FineTuneStrategy.HEAD).imageSize(SIZE).build();
        ClassificationLoss loss = new ClassificationLoss(CLASSES, 0.1, Optional.empty());
        StepOutcome one = step(WITH_BN, FineTuneStrategy.HEAD, 1, 6, loss, adamw);
        StepOutcome two = step(WITH_BN, FineTuneStrategy.HEAD, 2, 6, loss, adamw);
        assertEquals(2, two.gradients().size(), "only the head trains: " + two.gradients().keySet());
        assertClose(one.gradients(), two.gradients(), 1e-5, "head gradient of");
        Map<String, float[]> initial = untrained(WITH_BN);
        for (String name : initial.keySet()) {
            if (one.gradients().containsKey(name)) {
                assertFalse(java.util.Arrays.equals(initial.get(name), two.parameters().get(name)), name);
            } else {
                assertArrayEquals(initial.get(name), two.parameters().get(name),
                        "frozen '" + name + "' (incl. BatchNorm statistics) changed");
            }
        }
    }

    @Test
    void batchNormStatisticsComeFromThePrimarysShardOnly() {
        // FULL: every BatchNorm trains, normalises each shard with its own statistics and updates running ones
        int batch = 8;
        Map<String, float[]> expected;
        try (NDManager manager = NDManager.newBaseManager(Device.cpu());
             OnnxClassifierNetwork net = OnnxImporter.load(WITH_BN, HeadSpec.auto(CLASSES, 7), manager)) {
            net.applyStrategy(FineTuneStrategy.FULL, 0);
            TrainableParameters.syncGradientFlags(net);
            try (NDManager batchManager = manager.newSubManager()) {
                NDArray firstHalf = batchManager.create(images(batch, 11), new Shape(batch, 3, SIZE, SIZE))
                        .get("0:4");
                net.block().forward(new ParameterStore(manager, false), new NDList(firstHalf), true);
            }
            expected = runningStatistics(net);
        }
        try (NDManager manager = NDManager.newBaseManager(Device.cpu());
             OnnxClassifierNetwork net = OnnxImporter.load(WITH_BN, HeadSpec.auto(CLASSES, 7), manager)) {
            net.applyStrategy(FineTuneStrategy.FULL, 0);
            List<TrainableParameter> trainable = TrainableParameters.select(net, FineTuneStrategy.FULL, 0.5);
            TrainableParameters.syncGradientFlags(net);
            Map<String, float[]> before = runningStatistics(net);
            try (NDManager batchManager = manager.newSubManager();
                 DataParallelStep parallel = new DataParallelStep(cpus(2), trainable, manager)) {
                NDArray x = batchManager.create(images(batch, 11), new Shape(batch, 3, SIZE, SIZE));
                parallel.forwardBackward(new ParameterStore(manager, false), x, labels(batch),
                        ClassificationLoss.plain(CLASSES),
                        (s, in) -> net.block().forward(s, new NDList(in), true).singletonOrThrow());
            }
            Map<String, float[]> after = runningStatistics(net);
            assertEquals(expected.keySet(), after.keySet());
            assertTrue(expected.size() >= 20, expected.keySet().toString());
            for (String name : expected.keySet()) {
                assertFalse(java.util.Arrays.equals(before.get(name), after.get(name)), name + " was updated");
                assertArrayEquals(expected.get(name), after.get(name), 1e-6f, name + ": from the first 4 images");
            }
        }
    }

    @Test
    void nothingAccumulatesInTheRunManagerStepAfterStep() {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu());
             OnnxClassifierNetwork net = OnnxImporter.load(WITH_BN, HeadSpec.auto(CLASSES, 7), manager);
             GroupedOptimizer optimizer = new GroupedOptimizer(sgd(), manager)) {
            net.applyStrategy(FineTuneStrategy.PARTIAL, 0.5);
            List<TrainableParameter> trainable = TrainableParameters.select(net, FineTuneStrategy.PARTIAL, 0.5);
            TrainableParameters.syncGradientFlags(net);
            ParameterStore store = new ParameterStore(manager, false);
            List<Integer> counts = new ArrayList<>();
            try (DataParallelStep parallel = new DataParallelStep(cpus(3), trainable, manager)) {
                for (int step = 0; step < 3; step++) {
                    try (NDManager batchManager = manager.newSubManager()) {
                        NDArray x = batchManager.create(images(5, step), new Shape(5, 3, SIZE, SIZE));
                        DataParallelStep.Result r = parallel.forwardBackward(store, x, labels(5),
                                ClassificationLoss.plain(CLASSES),
                                (s, in) -> net.block().forward(s, new NDList(in), true).singletonOrThrow());
                        assertNotNull(r.logits());
                        optimizer.step(trainable, 0.1);
                    }
                    counts.add(countArrays(manager));
                }
            }
            assertEquals(counts.get(0), counts.get(2), "native arrays after steps 1, 2, 3: " + counts);
        }
    }

    private static int countArrays(NDManager manager) {
        return manager.getManagedArrays().size();
    }

    private static Map<String, float[]> untrained(Path model) {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu());
             OnnxClassifierNetwork net = OnnxImporter.load(model, HeadSpec.auto(CLASSES, 7), manager)) {
            Map<String, float[]> values = new LinkedHashMap<>();
            for (Pair<String, Parameter> p : net.block().getParameters()) {
                values.put(p.getKey(), p.getValue().getArray().toFloatArray());
            }
            return values;
        }
    }

    private static Map<String, float[]> runningStatistics(OnnxClassifierNetwork net) {
        Map<String, float[]> values = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : net.block().getParameters()) {
            Parameter.Type type = p.getValue().getType();
            if (type == Parameter.Type.RUNNING_MEAN || type == Parameter.Type.RUNNING_VAR) {
                values.put(p.getKey(), p.getValue().getArray().toFloatArray());
            }
        }
        return values;
    }
}
