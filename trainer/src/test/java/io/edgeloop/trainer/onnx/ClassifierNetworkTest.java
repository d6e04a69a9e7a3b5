package io.edgeloop.trainer.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.edgeloop.trainer.model.FineTuneStrategy;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Head surgery, the ClassifierNetwork contract and the fine-tuning strategies on real torchvision exports. */
class ClassifierNetworkTest {

    private static NDManager manager;

    @BeforeAll
    static void start() {
        manager = NDManager.newBaseManager("PyTorch");
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    static Path arch(String name) {
        return OrtReference.FIXTURES.resolve("arch").resolve(name + ".onnx");
    }

    @Test
    void detectsGemmHeadAndFeatureSize() {
        try (OnnxClassifierNetwork net = OnnxImporter.load(arch("mobilenet_v2_op13_static_fold"),
                HeadSpec.auto(4, 1), manager)) {
            assertEquals("/Flatten_output_0", net.headCut().featureTensor());
            assertEquals(List.of("/classifier/classifier.1/Gemm"), net.headCut().oldHeadNodes());
            assertEquals(new Shape(1, 1280), net.featureShape());
            assertEquals(64, net.imageSize());
            assertEquals(4, net.numClasses());
            try (NDManager batch = manager.newSubManager()) {
                NDArray x = batch.randomNormal(new Shape(3, 3, 64, 64));
                NDList logits = net.block().forward(new ParameterStore(batch, false), new NDList(x), false);
                assertEquals(new Shape(3, 4), logits.singletonOrThrow().getShape());
            }
        }
    }

    @Test
    void headIsSeededLikeTorchLinear() {
        try (OnnxClassifierNetwork a = OnnxImporter.load(arch("resnet18_op17_dyn_fold"), HeadSpec.auto(3, 5), manager);
                OnnxClassifierNetwork b = OnnxImporter.load(arch("resnet18_op17_dyn_fold"), HeadSpec.auto(3, 5),
                        manager);
                OnnxClassifierNetwork c = OnnxImporter.load(arch("resnet18_op17_dyn_fold"), HeadSpec.auto(3, 6),
                        manager)) {
            float[] wa = a.head().weight().getArray().toFloatArray();
            assertArrayEquals(wa, b.head().weight().getArray().toFloatArray());
            assertFalse(java.util.Arrays.equals(wa, c.head().weight().getArray().toFloatArray()));
            double bound = 1 / Math.sqrt(a.featureSize());
            double max = 0;
            for (float v : wa) {
                max = Math.max(max, Math.abs(v));
            }
            assertTrue(max <= bound && max > 0.8 * bound, "weights within ±1/√F: max " + max + " bound " + bound);
        }
    }

    @Test
    void convHeadIsFoundAndACutAtAMapCanFlattenIt() {
        try (OnnxClassifierNetwork net = OnnxImporter.load(arch("squeezenet1_1_op11_dyn_fold"), HeadSpec.auto(3, 1),
                manager)) {
            assertEquals("1×1 conv head Conv node '/classifier/classifier.1/Conv' + Relu + GlobalAveragePool,"
                    + " features '/features/features.12/Concat_output_0' [N, 128, 3, 3]", net.headCut().description());
            assertEquals(128, net.featureSize());
            try (NDManager batch = manager.newSubManager()) {
                NDArray x = batch.randomNormal(new Shape(2, 3, 64, 64));
                ParameterStore store = new ParameterStore(batch, false);
                NDArray map = net.backbone().forward(store, new NDList(x), false).singletonOrThrow();
                NDArray pooled = net.forwardBackbone(store, new NDList(x), false).singletonOrThrow();
                assertEquals(new Shape(2, 128), pooled.getShape());
                float[] m = map.toFloatArray();
                float[] p = pooled.toFloatArray();
                for (int c : new int[] {0, 77, 127}) {
                    double sum = 0;
                    for (int i = 0; i < 9; i++) {
                        sum += m[128 * 9 + c * 9 + i]; // second image
                    }
                    assertEquals(sum / 9, p[128 + c], 1e-6, "channel " + c + " of image 2 is the mean of its map");
                }
            }
        }
        try (OnnxClassifierNetwork net = OnnxImporter.load(arch("squeezenet1_1_op11_dyn_fold"),
                new HeadSpec(3, "/features/features.12/Concat", 1, HeadPool.FLATTEN), manager)) {
            assertEquals(new Shape(1, 128, 3, 3), net.featureShape());
            assertEquals(128 * 9, net.featureSize());
            assertEquals("flatten [N, 128, 3, 3] → 1152, linear 1152 → 3 classes", net.headDescription());
        }
        OnnxImportException missing = assertThrows(OnnxImportException.class, () -> OnnxImporter.load(
                arch("squeezenet1_1_op11_dyn_fold"), new HeadSpec(3, "nope", 1), manager));
        assertTrue(missing.getMessage().contains("no node named 'nope' in the graph (65 nodes, e.g. "
                + "[/features/features.0/Conv, "), missing.getMessage());
    }

    @Test
    void kerasNhwcGraphTakesNchwImages() {
        try (OnnxClassifierNetwork net = OnnxImporter.load(arch("keras_nhwc_op13"), HeadSpec.auto(3, 1), manager)) {
            assertTrue(net.channelsLast());
            assertEquals(List.of("model/dense/MatMul", "model/dense/BiasAdd"), net.headCut().oldHeadNodes());
            assertEquals(new Shape(1, 8), net.featureShape());
            assertEquals(16, net.imageSize());
        }
    }

    @Test
    void headSpecValidation() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new HeadSpec(1, null, 0));
        assertEquals("numClasses is 1, must be at least 2", e.getMessage());
    }

    @Test
    void headStrategyKeepsBackboneAndBatchNormStatsBitIdentical() {
        try (OnnxClassifierNetwork net = OnnxImporter.load(arch("resnet18_op13_dyn_bn"), HeadSpec.auto(3, 2),
                manager)) {
            Map<String, float[]> before = snapshot(net);
            float[] headBefore = net.head().weight().getArray().toFloatArray();
            train(net, FineTuneStrategy.HEAD, 0, 3);
            assertTrue(net.backboneFrozen());
            Map<String, float[]> after = snapshot(net);
            for (String name : before.keySet()) {
                assertArrayEquals(before.get(name), after.get(name), "frozen '" + name + "' changed");
            }
            assertFalse(java.util.Arrays.equals(headBefore, net.head().weight().getArray().toFloatArray()),
                    "head did not train");
        }
    }

    @Test
    void partialStrategyFreezesTheFirstLayersOnly() {
        try (OnnxClassifierNetwork net = OnnxImporter.load(arch("resnet18_op13_dyn_bn"), HeadSpec.auto(3, 2),
                manager)) {
            List<OnnxNode> layers = net.weightLayers();
            assertEquals(20, layers.size());
            Map<String, float[]> before = snapshot(net);
            train(net, FineTuneStrategy.PARTIAL, 0.5, 3);
            assertFalse(net.backboneFrozen());
            int firstTrainable = layers.get(10).index();
            Map<String, float[]> after = snapshot(net);
            int frozen = 0;
            int changed = 0;
            for (Map.Entry<String, Parameter> e : net.backbone().parametersByInitializer().entrySet()) {
                String name = e.getKey();
                int consumer = net.graph().consumers(name).get(0).index();
                boolean same = java.util.Arrays.equals(before.get(name), after.get(name));
                if (consumer < firstTrainable) {
                    assertTrue(same, "frozen '" + name + "' changed");
                    frozen++;
                } else {
                    assertFalse(same, "trainable '" + name + "' (" + e.getValue().getType() + ") did not change");
                    changed++;
                }
            }
            assertTrue(frozen > 20 && changed > 20, "frozen " + frozen + ", changed " + changed);
        }
    }

    @Test
    void partialByNodeNameAndBadFraction() {
        try (OnnxClassifierNetwork net = OnnxImporter.load(arch("resnet18_op13_dyn_bn"), HeadSpec.auto(3, 2),
                manager)) {
            net.applyPartial("/layer4/layer4.0/conv1/Conv");
            assertFalse(net.backbone().parametersByInitializer().get("conv1.weight").requiresGradient());
            assertTrue(net.backbone().parametersByInitializer().get("layer4.0.conv1.weight").requiresGradient());
            assertFalse(net.backbone().parametersByInitializer().get("layer4.0.bn1.running_mean").requiresGradient());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> net.applyStrategy(FineTuneStrategy.PARTIAL, 1.5));
            assertEquals("freezeFraction is 1.5, must be between 0 and 1", e.getMessage());
            IllegalArgumentException auto = assertThrows(IllegalArgumentException.class,
                    () -> net.applyStrategy(FineTuneStrategy.AUTO, 0));
            assertEquals("strategy AUTO cannot be applied; resolve AUTO to HEAD, PARTIAL or FULL first",
                    auto.getMessage());
        }
    }

    @Test
    void scratchReinitialisesEveryBackboneWeightSeeded() {
        try (OnnxClassifierNetwork a = OnnxImporter.load(arch("resnet18_op13_dyn_bn"), HeadSpec.auto(3, 2), manager);
                OnnxClassifierNetwork b = OnnxImporter.load(arch("resnet18_op13_dyn_bn"), HeadSpec.auto(3, 2),
                        manager)) {
            float[] pretrained = a.backbone().parametersByInitializer().get("layer1.0.conv1.weight").getArray()
                    .toFloatArray();
            a.applyStrategy(FineTuneStrategy.SCRATCH, 0);
            b.applyStrategy(FineTuneStrategy.SCRATCH, 0);
            Map<String, Parameter> params = a.backbone().parametersByInitializer();
            float[] conv = params.get("layer1.0.conv1.weight").getArray().toFloatArray();
            assertFalse(java.util.Arrays.equals(pretrained, conv));
            assertArrayEquals(conv, b.backbone().parametersByInitializer().get("layer1.0.conv1.weight").getArray()
                    .toFloatArray(), "SCRATCH is seeded");
            double bound = Math.sqrt(6.0 / (4 * 3 * 3)); // Kaiming-uniform, fan_in = 4 channels × 3 × 3
            double max = 0;
            for (float v : conv) {
                max = Math.max(max, Math.abs(v));
            }
            assertTrue(max <= bound && max > 0.8 * bound, "max " + max + ", bound " + bound);
            assertArrayEquals(new float[] {1, 1, 1, 1}, params.get("bn1.weight").getArray().toFloatArray());
            assertArrayEquals(new float[4], params.get("bn1.bias").getArray().toFloatArray());
            assertArrayEquals(new float[4], params.get("bn1.running_mean").getArray().toFloatArray());
            assertArrayEquals(new float[] {1, 1, 1, 1}, params.get("bn1.running_var").getArray().toFloatArray());
            assertFalse(a.backboneFrozen());
            assertTrue(params.get("conv1.weight").requiresGradient());
            assertFalse(params.get("bn1.running_var").requiresGradient());
        }
    }

    @Test
    void trainingBatchNormUpdatesRunningStatsWithOnnxMomentum() {
        try (OnnxClassifierNetwork net = OnnxImporter.load(arch("resnet18_op13_dyn_bn"), HeadSpec.auto(3, 2),
                manager)) {
            net.applyStrategy(FineTuneStrategy.FULL, 0);
            float[] oldMean = net.backbone().parametersByInitializer().get("bn1.running_mean").getArray()
                    .toFloatArray();
            float[] oldVar = net.backbone().parametersByInitializer().get("bn1.running_var").getArray()
                    .toFloatArray();
            try (NDManager batch = manager.newSubManager(); NDManager probe = manager.newSubManager()) {
                // a small batch (2 × 8 × 8 positions) makes torch's unbiased update differ by 1/127 of the variance
                NDArray x = batch.randomNormal(0, 1, new Shape(2, 3, 16, 16), ai.djl.ndarray.types.DataType.FLOAT32);
                OnnxGraphBlock conv = new OnnxGraphBlock(net.graph(), List.of("/conv1/Conv_output_0"), probe, false);
                NDArray c = conv.forward(new ParameterStore(batch, false), new NDList(x), false).singletonOrThrow();
                // batch statistics computed independently in double precision (biased variance, as ONNX)
                long[] d = c.getShape().getShape();
                float[] v = c.toFloatArray();
                int channels = (int) d[1];
                int plane = (int) (d[2] * d[3]);
                double[] mean = new double[channels];
                double[] var = new double[channels];
                for (int ch = 0; ch < channels; ch++) {
                    double sum = 0;
                    double sq = 0;
                    for (int n = 0; n < d[0]; n++) {
                        for (int i = 0; i < plane; i++) {
                            double e = v[(n * channels + ch) * plane + i];
                            sum += e;
                            sq += e * e;
                        }
                    }
                    long count = d[0] * plane;
                    mean[ch] = sum / count;
                    var[ch] = sq / count - mean[ch] * mean[ch];
                }
                net.block().forward(new ParameterStore(batch, false), new NDList(x), true);
                float[] newMean = net.backbone().parametersByInitializer().get("bn1.running_mean").getArray()
                        .toFloatArray();
                float[] newVar = net.backbone().parametersByInitializer().get("bn1.running_var").getArray()
                        .toFloatArray();
                for (int i = 0; i < mean.length; i++) {
                    assertEquals(0.9 * oldMean[i] + 0.1 * mean[i], newMean[i], 1e-5, "running_mean[" + i + "]");
                    double expected = 0.9 * oldVar[i] + 0.1 * var[i];
                    assertEquals(expected, newVar[i], 1e-5 * Math.max(1, expected), "running_var[" + i + "]");
                }
            }
        }
    }

    @Test
    void gradientsReachEveryTrainableParameter() {
        for (String model : List.of("mobilenet_v2_op17_dyn_bn", "convnext_op13_dyn_fold",
                "efficientnet_op13_dyn_fold")) {
            try (OnnxClassifierNetwork net = OnnxImporter.load(arch(model), HeadSpec.auto(3, 2), manager);
                    Model m = Model.newInstance("grad", "PyTorch")) {
                m.setBlock(net.block());
                try (Trainer trainer = m.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()))) {
                    net.applyStrategy(FineTuneStrategy.FULL, 0);
                    try (NDManager batch = trainer.getManager().newSubManager()) {
                        NDArray x = batch.randomNormal(new Shape(2, 3, 64, 64));
                        NDArray y = batch.create(new float[] {0, 2});
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            NDArray logits = trainer.forward(new NDList(x)).singletonOrThrow();
                            gc.backward(trainer.getLoss().evaluate(new NDList(y), new NDList(logits)));
                        }
                        int checked = 0;
                        for (var p : net.block().getParameters()) {
                            if (!p.getValue().requiresGradient()) {
                                continue;
                            }
                            NDArray g = p.getValue().getArray().getGradient();
                            double norm = g.abs().sum().getFloat();
                            assertTrue(Double.isFinite(norm) && norm > 0, model + ": no gradient for '"
                                    + p.getKey() + "'");
                            checked++;
                        }
                        assertTrue(checked > 10, model + ": only " + checked + " trainable parameters");
                    }
                }
            }
        }
    }

    @Test
    void trainingStepsLeaveNothingOnTheNetworksManager() throws Exception {
        // ConvNeXt multiplies by a parameter first (layer scale), whose results would stay on the parameter's
        // manager; BatchNorm training copies its statistics: either would leak per batch. DJL's trainer adds one
        // gradient array per trainable parameter on its first step, so counting starts after one step.
        for (String model : List.of("convnext_op13_dyn_fold", "resnet18_op13_dyn_bn")) {
            try (NDManager parent = manager.newSubManager();
                    OnnxClassifierNetwork net = OnnxImporter.load(arch(model), HeadSpec.auto(3, 2), parent);
                    Model m = Model.newInstance("leak", "PyTorch")) {
                NDManager owner = onlyChildManager(parent);
                m.setBlock(net.block());
                DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                        .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.05f)).build());
                try (Trainer trainer = m.newTrainer(config)) {
                    net.applyStrategy(FineTuneStrategy.FULL, 0);
                    int before = -1;
                    for (int step = 0; step < 4; step++) {
                        if (step == 1) {
                            before = resourceCount(owner);
                        }
                        try (NDManager batch = trainer.getManager().newSubManager()) {
                            NDArray x = batch.randomNormal(new Shape(2, 3, 64, 64));
                            NDArray y = batch.create(new float[] {0, 1});
                            try (GradientCollector gc = trainer.newGradientCollector()) {
                                NDArray logits = trainer.forward(new NDList(x)).singletonOrThrow();
                                gc.backward(trainer.getLoss().evaluate(new NDList(y), new NDList(logits)));
                            }
                            trainer.step();
                        }
                    }
                    assertEquals(before, resourceCount(owner), model + ": arrays leaked onto the network's manager");
                }
            }
        }
    }

    private static NDManager onlyChildManager(NDManager parent) throws Exception {
        java.lang.reflect.Field f = ai.djl.ndarray.BaseNDManager.class.getDeclaredField("resources");
        f.setAccessible(true);
        Map<?, ?> resources = (Map<?, ?>) f.get(parent);
        return (NDManager) resources.values().stream().filter(r -> r instanceof NDManager).findFirst()
                .orElseThrow();
    }

    private static int resourceCount(NDManager m) throws Exception {
        java.lang.reflect.Field f = ai.djl.ndarray.BaseNDManager.class.getDeclaredField("resources");
        f.setAccessible(true);
        return ((Map<?, ?>) f.get(m)).size();
    }

    private static Map<String, float[]> snapshot(OnnxClassifierNetwork net) {
        Map<String, float[]> map = new LinkedHashMap<>();
        net.backbone().parametersByInitializer().forEach((k, v) -> map.put(k, v.getArray().toFloatArray()));
        return map;
    }

    /** A few SGD steps through DJL's Trainer, strategy applied after newTrainer (which unfreezes). */
    static void train(OnnxClassifierNetwork net, FineTuneStrategy strategy, double fraction, int steps) {
        Random random = new Random(3);
        try (Model model = Model.newInstance("t", "PyTorch")) {
            model.setBlock(net.block());
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.05f)).build());
            try (Trainer trainer = model.newTrainer(config)) {
                net.applyStrategy(strategy, fraction);
                for (int s = 0; s < steps; s++) {
                    try (NDManager batch = trainer.getManager().newSubManager()) {
                        float[] img = new float[4 * 3 * 64 * 64];
                        for (int i = 0; i < img.length; i++) {
                            img[i] = (float) random.nextGaussian();
                        }
                        NDArray x = batch.create(img, new Shape(4, 3, 64, 64));
                        NDArray y = batch.create(new float[] {0, 1, 2, 1});
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            NDArray logits = trainer.forward(new NDList(x)).singletonOrThrow();
                            gc.backward(trainer.getLoss().evaluate(new NDList(y), new NDList(logits)));
                        }
                        trainer.step();
                    }
                }
            }
        }
    }
}
