package io.edgeloop.trainer.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.onnx.proto.OnnxMl;
import io.edgeloop.trainer.export.ExportVerifier;
import io.edgeloop.trainer.export.OnnxExporter;
import io.edgeloop.trainer.model.FineTuneStrategy;
import io.edgeloop.trainer.onnx.op.OpRegistry;
import io.edgeloop.trainer.testing.TrainingSteps;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Aliased and shared initializers (make_alias_fixtures.py): torch exports whose fresh BatchNorm layers were
 * de-duplicated into Identity chains and shared tensors, and hand-built graphs (one weight feeding two Convs, a BN
 * mean that is Identity(a conv bias), a Constant BN scale, Identity(Identity(init)) chains at IR 3). The rewrite is
 * exact, every parameter slot gets its own tensor, training one layer never moves another, and exports stay exact.
 */
class InitializerUntierTest {

    private static NDManager manager;

    @BeforeAll
    static void start() {
        manager = NDManager.newBaseManager("PyTorch");
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    private static Path arch(String name) {
        return OrtReference.FIXTURES.resolve("arch").resolve(name + ".onnx");
    }

    private static OnnxMl.ModelProto read(String name) {
        return OnnxGraph.read(arch(name));
    }

    /** The rewritten graph computes what the original computes, on ORT and on DJL; no slot shares its tensor. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"alias_resnet18_op13_dyn_bn", "alias_densenet_op11_dyn_bn", "alias_mnasnet_op13_dyn_bn",
        "alias_twin_conv_op13_dyn_bn", "alias_shared_conv_weight_op13", "alias_bn_mean_from_bias_op13",
        "alias_identity_chain_op9_ir3"})
    void rewriteIsExactAndLeavesEveryParameterSlotItsOwnTensor(String file) throws Exception {
        OnnxMl.ModelProto original = read(file);
        InitializerUntier.Untied untied = InitializerUntier.untie(original);
        OnnxMl.ModelProto rewritten = untied.model();
        assertTrue(untied.sharing().sharedInitializers() > 0, file + ": " + untied.sharing());

        List<OrtReference.Tensor> inputs = OrtReference.randomInputs(original, 13, 3, false);
        OrtReference.Tensor expected = OrtReference.run(original, inputs).get(0);
        double ort = OrtReference.maxAbsDiff(expected, OrtReference.run(rewritten, inputs).get(0));
        double djl = OrtReference.maxAbsDiff(expected, OrtReference.runDjl(rewritten, inputs, manager).get(0));
        System.out.printf("untie %-32s %s; ORT rewritten vs original %.3g, DJL rewritten vs ORT %.3g%n", file,
                untied.sharing(), ort, djl);
        assertEquals(0.0, ort, file + ": the rewrite changed what ORT computes");
        assertTrue(djl <= 1e-4, file + ": max |DJL − ORT| = " + djl);

        OnnxGraph graph = OnnxGraph.of(rewritten);
        Map<String, String> slotOf = new HashMap<>();
        for (OnnxNode n : graph.nodes()) {
            if ("Identity".equals(n.opType())) {
                assertFalse(graph.initializers().containsKey(n.input(0)), file + ": " + n.describe()
                        + " still aliases initializer '" + n.input(0) + "'");
            }
            for (int i = 0; i < n.inputs().size(); i++) {
                OnnxMl.TensorProto t = graph.initializers().get(n.input(i));
                if (t != null && ParameterRoles.isParameter(n, OpRegistry.standard().lookup(n), i, t)) {
                    String before = slotOf.put(n.input(i), n.describe() + " input " + i);
                    assertEquals(null, before, file + ": '" + n.input(i) + "' feeds " + before + " and "
                            + n.describe() + " input " + i);
                }
            }
        }
        if (rewritten.getIrVersion() < 4) {
            Set<String> listed = new HashSet<>();
            rewritten.getGraph().getInputList().forEach(v -> listed.add(v.getName()));
            for (OnnxMl.TensorProto t : rewritten.getGraph().getInitializerList()) {
                assertTrue(listed.contains(t.getName()), file + ": IR 3 initializer '" + t.getName()
                        + "' is not a graph input");
            }
        }
        assertSame(rewritten, InitializerUntier.untie(rewritten).model(), file + ": a second rewrite changed it");
    }

    @Test
    void sharedAndAliasedTensorsGetDeterministicNames() {
        InitializerUntier.Untied shared = InitializerUntier.untie(read("alias_shared_conv_weight_op13"));
        assertEquals(Map.of("shared.weight", List.of("shared.weight/conv1#1", "shared.weight/conv2#1"),
                "shared.bias", List.of("shared.bias/conv1#2", "shared.bias/conv2#2")), shared.untied());
        Map<String, OnnxMl.TensorProto> inits = OnnxGraph.of(shared.model()).initializers();
        assertFalse(inits.containsKey("shared.weight"), "the original is read by nothing any more");
        assertEquals(List.of("stem.weight", "stem.bias", "shared.weight/conv1#1", "shared.weight/conv2#1",
                "shared.bias/conv1#2", "shared.bias/conv2#2", "fc.weight", "fc.bias"), List.copyOf(inits.keySet()));
        assertEquals("2 shared initializers untied into 4 parameters", shared.sharing().toString());

        InitializerUntier.Untied bn = InitializerUntier.untie(read("alias_bn_mean_from_bias_op13"));
        assertEquals(Map.of("bn1.running_mean", "conv1.bias", "bn2.running_var", "bn1.running_var"), bn.aliases());
        assertEquals(List.of("bn2.weight"), bn.constants());
        assertEquals(List.of("conv1.bias", "bn1.running_mean"), bn.untied().get("conv1.bias"));
        OnnxGraph g = OnnxGraph.of(bn.model());
        assertEquals(List.of("c1", "bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var"),
                g.node("bn1").inputs());
        assertEquals(List.of("c2", "bn2.weight", "bn2.bias", "bn2.running_mean", "bn2.running_var"),
                g.node("bn2").inputs());
        assertEquals(g.initializers().get("conv1.bias").getRawData(),
                g.initializers().get("bn1.running_mean").getRawData());
        assertTrue(g.nodes().stream().noneMatch(n -> "Identity".equals(n.opType()) || "Constant".equals(n.opType())));
        assertEquals("2 Identity aliases of initializers resolved, 1 Constant made initializer, 2 shared initializers"
                + " untied into 4 parameters", bn.sharing().toString());

        InitializerUntier.Untied chain = InitializerUntier.untie(read("alias_identity_chain_op9_ir3"));
        OnnxGraph c = OnnxGraph.of(chain.model());
        // one use through a chain: the source keeps its own name; two uses: each keeps the name it read
        assertEquals("w0", c.node("conv1").input(1));
        assertEquals("bn1.running_var", c.node("bn1").input(4));
        assertEquals("var", c.node("bn2").input(4));
        assertEquals("fc_w", c.node("fc").input(1));
        assertEquals(Map.of("var", List.of("bn1.running_var", "var")), chain.untied());

        // torch's names survive: the alias a BN read becomes its own initializer
        OnnxGraph resnet = OnnxGraph.of(InitializerUntier.untie(read("alias_resnet18_op13_dyn_bn")).model());
        OnnxNode fresh = resnet.node("/layer1/layer1.1/bn1/BatchNormalization");
        assertEquals(List.of("layer1.1.bn1.weight", "layer1.1.bn1.bias", "layer1.1.bn1.running_mean",
                "layer1.1.bn1.running_var"), fresh.inputs().subList(1, 5));
        assertEquals(List.of("layer1.0.bn1.weight", "layer1.0.bn1.bias", "layer1.0.bn1.running_mean",
                "layer1.0.bn1.running_var"), resnet.node("/layer1/layer1.0/bn1/BatchNormalization").inputs()
                .subList(1, 5));
        fresh.inputs().subList(1, 5).forEach(name -> assertTrue(resnet.initializers().containsKey(name), name));
    }

    @Test
    void inspectSaysWhatItResolvesAndFindsAHeadWeightBehindAnAlias() {
        GraphSummary chain = GraphSummary.of(read("alias_identity_chain_op9_ir3"));
        assertEquals(List.of("fc"), chain.head().oldHeadNodes());
        assertEquals(8, chain.featureSize());
        assertTrue(chain.toText().contains("sharing    6 Identity aliases of initializers resolved, 1 shared"
                + " initializer untied into 2 parameters on import (each layer trains its own copy)\n"),
                chain.toText());
        GraphSummary plain = GraphSummary.of(read("resnet18_op13_dyn_bn"));
        assertTrue(plain.sharing().none());
        assertFalse(plain.toText().contains("sharing"), plain.toText());
    }

    /**
     * conv1 and conv2 were one weight: with conv1 frozen (PARTIAL from conv2) conv1's copy stays bit-identical while
     * conv2's trains, and the export carries both.
     */
    @Test
    void frozenLayersCopyStaysFrozenWhenTheLayerSharingItTrains() throws Exception {
        try (OnnxClassifierNetwork net = OnnxImporter.load(arch("alias_shared_conv_weight_op13"),
                HeadSpec.auto(3, 4), manager)) {
            Map<String, float[]> before = snapshot(net);
            trainPartialFrom(net, "conv2", 3);
            Map<String, float[]> after = snapshot(net);
            for (String frozen : List.of("stem.weight", "stem.bias", "shared.weight/conv1#1", "shared.bias/conv1#2")) {
                assertArrayEquals(before.get(frozen), after.get(frozen), "frozen '" + frozen + "' changed");
            }
            for (String trained : List.of("shared.weight/conv2#1", "shared.bias/conv2#2")) {
                assertFalse(java.util.Arrays.equals(before.get(trained), after.get(trained)),
                        "trainable '" + trained + "' did not change");
            }
            OnnxMl.ModelProto exported = OnnxExporter.export(net);
            Set<String> names = new HashSet<>();
            exported.getGraph().getInitializerList().forEach(t -> names.add(t.getName()));
            assertTrue(names.containsAll(List.of("shared.weight/conv1#1", "shared.weight/conv2#1")), names.toString());
            assertFalse(names.contains("shared.weight"), names.toString());
            ExportVerifier.Result r = ExportVerifier.verify(exported, net, 32, 5);
            System.out.println("untie export alias_shared_conv_weight_op13 PARTIAL conv2: " + r);
            assertTrue(r.passed(), r.toString());
        }
    }

    /**
     * One FULL step: the two copies of the shared weight move by their own gradients (new = old − lr·grad, each), and
     * those gradients differ, so a single tied parameter would have moved both by their sum.
     */
    @Test
    void oneFullStepMovesEachCopyByItsOwnGradient() {
        float lr = 0.1f;
        try (OnnxClassifierNetwork net = OnnxImporter.load(arch("alias_twin_conv_op13_dyn_bn"), HeadSpec.auto(3, 4),
                manager); Model model = Model.newInstance("one-step", "PyTorch")) {
            Map<String, Parameter> params = net.backbone().parametersByInitializer();
            // torch shared a.weight between the two convs; b's copy takes the name b read (torch's own)
            List<String> copies = List.of("a.weight", "b.weight");
            assertEquals(copies, InitializerUntier.untie(read("alias_twin_conv_op13_dyn_bn")).untied()
                    .get("a.weight"));
            model.setBlock(net.block());
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(lr)).build());
            try (Trainer trainer = model.newTrainer(config)) {
                net.applyStrategy(FineTuneStrategy.FULL, 0);
                Map<String, float[]> before = snapshot(net);
                assertArrayEquals(before.get(copies.get(0)), before.get(copies.get(1)), "copies start equal");
                Map<String, float[]> grads = new LinkedHashMap<>();
                try (NDManager batch = trainer.getManager().newSubManager()) {
                    NDArray x = batch.randomNormal(0, 1, new Shape(4, 3, 32, 32),
                            ai.djl.ndarray.types.DataType.FLOAT32);
                    NDArray y = batch.create(new float[] {0, 1, 2, 1});
                    try (GradientCollector gc = trainer.newGradientCollector()) {
                        NDArray logits = trainer.forward(new NDList(x)).singletonOrThrow();
                        gc.backward(trainer.getLoss().evaluate(new NDList(y), new NDList(logits)));
                    }
                    for (String c : copies) {
                        grads.put(c, params.get(c).getArray().getGradient().toFloatArray());
                    }
                    trainer.step();
                }
                double gradGap = 0;
                for (int i = 0; i < grads.get(copies.get(0)).length; i++) {
                    gradGap = Math.max(gradGap, Math.abs(grads.get(copies.get(0))[i] - grads.get(copies.get(1))[i]));
                }
                assertTrue(gradGap > 1e-4, "the two layers' gradients are equal (" + gradGap + ")");
                for (String c : copies) {
                    float[] now = params.get(c).getArray().toFloatArray();
                    for (int i = 0; i < now.length; i++) {
                        float want = before.get(c)[i] - lr * grads.get(c)[i];
                        assertEquals(want, now[i], 1e-6, c + "[" + i + "]");
                    }
                }
            }
        }
    }

    /**
     * bn1's running_mean was Identity(conv1.bias): training updates the statistic by momentum and leaves the bias to
     * its own gradient (before, the statistic was "not a float initializer"); frozen, both stay bit-identical.
     */
    @Test
    void batchNormStatisticAliasedToAConvBiasTrainsApartAndFreezes() throws Exception {
        try (OnnxClassifierNetwork net = OnnxImporter.load(arch("alias_bn_mean_from_bias_op13"), HeadSpec.auto(3, 4),
                manager)) {
            Map<String, float[]> before = snapshot(net);
            TrainingSteps.sgd(net, FineTuneStrategy.FULL, 2);
            Map<String, float[]> after = snapshot(net);
            for (String name : List.of("bn1.running_mean", "bn1.running_var", "bn2.running_var", "bn2.weight")) {
                assertFalse(java.util.Arrays.equals(before.get(name), after.get(name)),
                        "'" + name + "' did not train");
            }
            // a bias right before a training-mode BN gets (almost) no gradient; tied to the statistic it would have
            // been overwritten by the running-mean update
            assertArrayEquals(before.get("conv1.bias"), after.get("conv1.bias"), 1e-5f);
            assertFalse(java.util.Arrays.equals(after.get("conv1.bias"), after.get("bn1.running_mean")));
            assertEquals(Parameter.Type.RUNNING_MEAN, net.backbone().parametersByInitializer().get("bn1.running_mean")
                    .getType());
            assertEquals(Parameter.Type.BIAS, net.backbone().parametersByInitializer().get("conv1.bias").getType());
            ExportVerifier.Result r = ExportVerifier.verify(OnnxExporter.export(net), net, 32, 5);
            System.out.println("untie export alias_bn_mean_from_bias_op13 FULL: " + r);
            assertTrue(r.passed(), r.toString());

            Map<String, float[]> trained = snapshot(net);
            trainPartialFrom(net, "conv2", 2);
            Map<String, float[]> partial = snapshot(net);
            for (String name : List.of("conv1.weight", "conv1.bias", "bn1.running_mean", "bn1.running_var")) {
                assertArrayEquals(trained.get(name), partial.get(name), "frozen '" + name + "' changed");
            }
            assertFalse(java.util.Arrays.equals(trained.get("bn2.running_var"), partial.get("bn2.running_var")),
                    "bn2's copy of bn1's variance did not update while bn1's stayed");
        }
    }

    /** PARTIAL on a de-duplicated ResNet-18: each parameter follows its one consumer, frozen or trained. */
    @Test
    void partialOnDeduplicatedResnetFreezesExactlyTheFrozenLayersCopies() throws Exception {
        try (OnnxClassifierNetwork net = OnnxImporter.load(arch("alias_resnet18_op13_dyn_bn"), HeadSpec.auto(3, 2),
                manager)) {
            List<OnnxNode> layers = net.weightLayers();
            int firstTrainable = layers.get(layers.size() / 2).index();
            Map<String, float[]> before = snapshot(net);
            TrainingSteps.sgd(net, FineTuneStrategy.PARTIAL, 2);
            Map<String, float[]> after = snapshot(net);
            int frozen = 0;
            int changed = 0;
            for (String name : before.keySet()) {
                List<OnnxNode> consumers = net.graph().consumers(name);
                assertEquals(1, consumers.size(), "'" + name + "' has consumers " + consumers);
                boolean same = java.util.Arrays.equals(before.get(name), after.get(name));
                if (consumers.get(0).index() < firstTrainable) {
                    assertTrue(same, "frozen '" + name + "' changed");
                    frozen++;
                } else {
                    assertFalse(same, "trainable '" + name + "' did not change");
                    changed++;
                }
            }
            assertTrue(frozen > 20 && changed > 20, "frozen " + frozen + ", changed " + changed);
            ExportVerifier.Result r = ExportVerifier.verify(OnnxExporter.export(net), net, 32, 5);
            System.out.println("untie export alias_resnet18_op13_dyn_bn PARTIAL: " + r);
            assertTrue(r.passed(), r.toString());
        }
    }

    /**
     * The export of a trained IR 3 graph with Identity chains: no Identity left, one initializer per parameter holding
     * that parameter's trained values, every initializer a graph input, nothing left to untie on re-import.
     */
    @Test
    void exportOfUntiedIr3GraphHasOneInitializerPerParameterAndListsThemAsInputs() throws Exception {
        try (OnnxClassifierNetwork net = OnnxImporter.load(arch("alias_identity_chain_op9_ir3"), HeadSpec.auto(3, 4),
                manager)) {
            TrainingSteps.sgd(net, FineTuneStrategy.FULL, 2);
            OnnxMl.ModelProto exported = OnnxExporter.export(net);
            OnnxMl.GraphProto g = exported.getGraph();
            assertEquals(3, exported.getIrVersion());
            assertTrue(g.getNodeList().stream().noneMatch(n -> "Identity".equals(n.getOpType())), g.getNodeList()
                    .stream().map(OnnxMl.NodeProto::getName).toList().toString());
            Map<String, OnnxMl.TensorProto> inits = new LinkedHashMap<>();
            g.getInitializerList().forEach(t -> inits.put(t.getName(), t));
            Set<String> inputs = new HashSet<>();
            g.getInputList().forEach(v -> inputs.add(v.getName()));
            assertTrue(inputs.containsAll(inits.keySet()), "not inputs: " + inits.keySet());
            Map<String, Parameter> params = net.backbone().parametersByInitializer();
            for (String name : List.of("bn1.running_var", "var", "w0")) {
                try (NDManager m = manager.newSubManager()) {
                    assertArrayEquals(params.get(name).getArray().toFloatArray(),
                            TensorProtos.toNDArray(inits.get(name), m).toFloatArray(), name);
                }
            }
            assertFalse(java.util.Arrays.equals(params.get("bn1.running_var").getArray().toFloatArray(),
                    params.get("var").getArray().toFloatArray()), "the two BNs' variances were updated apart");
            assertSame(exported, InitializerUntier.untie(exported).model(), "the export still has sharing");
            ExportVerifier.Result r = ExportVerifier.verify(exported, net, 32, 5);
            assertTrue(r.passed(), r.toString());
        }
    }

    private static Map<String, float[]> snapshot(OnnxClassifierNetwork net) {
        Map<String, float[]> map = new LinkedHashMap<>();
        net.backbone().parametersByInitializer().forEach((k, v) -> map.put(k, v.getArray().toFloatArray()));
        return map;
    }

    /** SGD steps with the backbone frozen before {@code node}, as {@code --freeze NODE} does it. */
    private static void trainPartialFrom(OnnxClassifierNetwork net, String node, int steps) {
        TrainingSteps.sgd(net, n -> n.applyPartial(node), steps, 0.05f, 8);
    }
}
