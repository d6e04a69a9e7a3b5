package io.edgeloop.trainer.arch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The builders against torchvision: names, shapes and order of every parameter and buffer, and the parameter
 * counts, recorded from torchvision 0.14 by {@code torchvision_reference.py} into {@code torchvision-params.json}.
 */
class ArchitectureStructureTest {

    private static final Set<String> ALLOWED_OPS = Set.of("Conv", "BatchNormalization", "Relu", "Clip", "Add",
            "GlobalAveragePool", "Flatten", "Gemm", "MaxPool");

    private static JsonNode reference() throws Exception {
        try (InputStream in = ArchitectureStructureTest.class.getResourceAsStream("torchvision-params.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    private static List<String> describe(JsonNode entries) {
        List<String> result = new ArrayList<>();
        for (JsonNode e : entries) {
            List<String> dims = new ArrayList<>();
            e.get(1).forEach(d -> dims.add(d.asText()));
            result.add(e.get(0).asText() + " " + dims);
        }
        return result;
    }

    private static String describe(TensorProto t) {
        return t.getName() + " " + t.getDimsList();
    }

    @Test
    void matchesTorchvisionNamesShapesAndCounts() throws Exception {
        JsonNode reference = reference();
        assertEquals(4, reference.size());
        for (JsonNode config : reference) {
            Architecture arch = Architecture.parse(config.get("arch").asText());
            ArchSpec spec = new ArchSpec(arch, config.get("width").asDouble(), 224, config.get("classes").asInt(), 1);
            ModelProto model = ArchitectureOnnx.build(spec);
            String label = spec.toJson();
            List<TensorProto> inits = model.getGraph().getInitializerList();
            List<String> params = inits.stream().filter(t -> t.getName().endsWith(".weight")
                    || t.getName().endsWith(".bias")).map(ArchitectureStructureTest::describe)
                    .collect(Collectors.toList());
            List<String> buffers = inits.stream().filter(t -> t.getName().contains(".running_"))
                    .map(ArchitectureStructureTest::describe).collect(Collectors.toList());
            assertEquals(describe(config.get("parameters")), params, label);
            // torchvision lists a module's buffers after all parameters; order within the buffers agrees.
            assertEquals(describe(config.get("buffers")), buffers, label);
            assertEquals(config.get("parameterCount").asLong(), ArchitectureOnnx.parameterCount(model), label);
        }
    }

    /** The two published figures, independently of the fixture. */
    @Test
    void parameterCountsEqualTorchvision() {
        assertEquals(3_504_872L, ArchitectureOnnx.parameterCount(
                ArchitectureOnnx.build(new ArchSpec(Architecture.MOBILENETV2, 1.0, 224, 1000, 42))));
        assertEquals(11_689_512L, ArchitectureOnnx.parameterCount(
                ArchitectureOnnx.build(new ArchSpec(Architecture.RESNET18, 1.0, 224, 1000, 42))));
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void graphFollowsTheContract(Architecture arch) throws Exception {
        ArchSpec spec = new ArchSpec(arch, 0.5, 64, 7, 3);
        ModelProto model = ArchitectureOnnx.build(spec);
        assertEquals(ArchitectureOnnx.IR_VERSION, model.getIrVersion());
        assertEquals(1, model.getOpsetImportCount());
        assertEquals("", model.getOpsetImport(0).getDomain());
        assertEquals(13, model.getOpsetImport(0).getVersion());
        Set<String> ops = model.getGraph().getNodeList().stream().map(NodeProto::getOpType)
                .collect(Collectors.toSet());
        assertTrue(ALLOWED_OPS.containsAll(ops), "ops " + ops);
        assertEquals(1, model.getGraph().getInputCount());
        assertEquals(List.of("batch", "3", "64", "64"), dims(model.getGraph().getInput(0)));
        assertEquals("input", model.getGraph().getInput(0).getName());
        assertEquals(1, model.getGraph().getOutputCount());
        assertEquals("logits", model.getGraph().getOutput(0).getName());
        assertEquals(List.of("batch", "7"), dims(model.getGraph().getOutput(0)));
        assertEquals("logits", model.getGraph().getNode(model.getGraph().getNodeCount() - 1).getOutput(0));
        assertEquals("Gemm", model.getGraph().getNode(model.getGraph().getNodeCount() - 1).getOpType());
        // Every BatchNormalization is kept (not folded), with torch's epsilon and momentum.
        long bns = model.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("BatchNormalization"))
                .peek(n -> {
                    assertEquals(1e-5f, n.getAttribute(0).getF());
                    assertEquals(0.9f, n.getAttribute(1).getF());
                }).count();
        assertTrue(bns > 0);
        // Self-describing: the metadata holds the spec and reads back to it.
        assertEquals(1, model.getMetadataPropsCount());
        assertEquals("edgeloop.arch", model.getMetadataProps(0).getKey());
        assertEquals(spec, ArchSpec.fromJson(model.getMetadataProps(0).getValue()));
        // Every node input is the graph input, an initializer or an earlier node's output (topological order).
        Set<String> known = new HashSet<>();
        known.add("input");
        model.getGraph().getInitializerList().forEach(t -> known.add(t.getName()));
        for (NodeProto n : model.getGraph().getNodeList()) {
            for (String in : n.getInputList()) {
                assertTrue(known.contains(in), n.getName() + " reads unknown " + in);
            }
            known.addAll(n.getOutputList());
        }
    }

    @Test
    void metadataJsonIsExact() {
        assertEquals("{\"arch\":\"resnet18\",\"width\":0.25,\"imageSize\":32,\"classes\":5,\"seed\":7,"
                + "\"input\":\"input\",\"output\":\"logits\",\"opset\":13}",
                new ArchSpec(Architecture.RESNET18, 0.25, 32, 5, 7).toJson());
    }

    @Test
    void sameSeedSameBytesOtherSeedOtherWeights() {
        ArchSpec spec = new ArchSpec(Architecture.MOBILENETV2, 0.35, 32, 4, 11);
        byte[] a = ArchitectureOnnx.build(spec).toByteArray();
        byte[] b = ArchitectureOnnx.build(spec).toByteArray();
        assertArrayEquals(a, b);
        ModelProto other = ArchitectureOnnx.build(new ArchSpec(Architecture.MOBILENETV2, 0.35, 32, 4, 12));
        ModelProto first = ArchitectureOnnx.build(spec);
        assertEquals(first.getGraph().getNodeList(), other.getGraph().getNodeList());
        assertNotEquals(first.getGraph().getInitializer(0).getRawData(),
                other.getGraph().getInitializer(0).getRawData());
    }

    /** torchvision's init: Kaiming normal fan-out convs, BN 1/0/0/1, Linear normal(0, 0.01) or torch's default. */
    @Test
    void initialisationFollowsTorchvision() {
        Map<String, float[]> mobilenet = weights(ArchitectureOnnx.build(
                new ArchSpec(Architecture.MOBILENETV2, 1.0, 224, 1000, 5)));
        // features.18.0: 1x1 conv 320 -> 1280, fan_out 1280: std sqrt(2/1280) = 0.03953.
        assertStats(mobilenet.get("features.18.0.weight"), 0.0, Math.sqrt(2.0 / 1280), 409_600);
        // depthwise 3x3 conv of features.17 (960 channels): fan_out 960 * 9.
        assertStats(mobilenet.get("features.17.conv.1.0.weight"), 0.0, Math.sqrt(2.0 / (960 * 9)), 8_640);
        assertStats(mobilenet.get("classifier.1.weight"), 0.0, 0.01, 1_280_000);
        assertAll(mobilenet.get("classifier.1.bias"), 0f);
        assertAll(mobilenet.get("features.5.conv.1.1.weight"), 1f);
        assertAll(mobilenet.get("features.5.conv.1.1.bias"), 0f);
        assertAll(mobilenet.get("features.5.conv.1.1.running_mean"), 0f);
        assertAll(mobilenet.get("features.5.conv.1.1.running_var"), 1f);
        assertArrayEquals(new float[] {0f}, mobilenet.get("relu6.min"));
        assertArrayEquals(new float[] {6f}, mobilenet.get("relu6.max"));

        Map<String, float[]> resnet = weights(ArchitectureOnnx.build(
                new ArchSpec(Architecture.RESNET18, 1.0, 224, 1000, 5)));
        assertStats(resnet.get("layer4.1.conv2.weight"), 0.0, Math.sqrt(2.0 / (512 * 9)), 2_359_296);
        // fc keeps torch's default Linear init: uniform(-1/sqrt(512), 1/sqrt(512)), std bound/sqrt(3).
        double bound = 1 / Math.sqrt(512);
        assertStats(resnet.get("fc.weight"), 0.0, bound / Math.sqrt(3), 512_000);
        for (String name : List.of("fc.weight", "fc.bias")) {
            for (float v : resnet.get(name)) {
                assertTrue(Math.abs(v) <= bound, name + " value " + v + " outside +-" + bound);
            }
        }
    }

    @Test
    void specValidationNamesTheFieldValueAndRange() {
        assertEquals("width 0.05 is invalid: allowed 0.1 to 4.0", assertThrows(IllegalArgumentException.class,
                () -> new ArchSpec(Architecture.RESNET18, 0.05, 32, 5, 1)).getMessage());
        assertEquals("width NaN is invalid: allowed 0.1 to 4.0", assertThrows(IllegalArgumentException.class,
                () -> new ArchSpec(Architecture.RESNET18, Double.NaN, 32, 5, 1)).getMessage());
        assertEquals("image size 4 is invalid: allowed 8 to 2048", assertThrows(IllegalArgumentException.class,
                () -> new ArchSpec(Architecture.RESNET18, 1, 4, 5, 1)).getMessage());
        assertEquals("classes 1 is invalid: allowed 2 to 100000", assertThrows(IllegalArgumentException.class,
                () -> new ArchSpec(Architecture.RESNET18, 1, 32, 1, 1)).getMessage());
        assertEquals("architecture 'vgg16' is not one of mobilenetv2, resnet18, simplecnn",
                assertThrows(IllegalArgumentException.class, () -> Architecture.parse("vgg16")).getMessage());
        assertEquals("edgeloop.arch field 'classes' is null: expected a number",
                assertThrows(IllegalArgumentException.class, () -> ArchSpec.fromJson(
                        "{\"arch\":\"resnet18\",\"width\":1.0,\"imageSize\":32,\"seed\":1}")).getMessage());
    }

    @Test
    void makeDivisibleMatchesTorchvision() {
        // Values from torchvision's _make_divisible.
        assertEquals(16, Channels.makeDivisible(32 * 0.35, 8));
        assertEquals(8, Channels.makeDivisible(16 * 0.35, 8));
        assertEquals(24, Channels.makeDivisible(24 * 0.75, 8));
        assertEquals(48, Channels.makeDivisible(32 * 1.4, 8));
        assertEquals(1792, Channels.makeDivisible(1280 * 1.4, 8));
        assertEquals(112, Channels.makeDivisible(96 * 1.2, 8));
    }

    private static List<String> dims(ValueInfoProto v) {
        List<String> result = new ArrayList<>();
        for (TensorShapeProto.Dimension d : v.getType().getTensorType().getShape().getDimList()) {
            result.add(d.hasDimParam() ? d.getDimParam() : Long.toString(d.getDimValue()));
        }
        return result;
    }

    private static Map<String, float[]> weights(ModelProto model) {
        Map<String, float[]> result = new HashMap<>();
        for (TensorProto t : model.getGraph().getInitializerList()) {
            float[] values;
            if (t.getRawData().isEmpty()) {
                values = new float[t.getFloatDataCount()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = t.getFloatData(i);
                }
            } else {
                values = new float[t.getRawData().size() / 4];
                ByteBuffer.wrap(t.getRawData().toByteArray()).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer()
                        .get(values);
            }
            result.put(t.getName(), values);
        }
        return result;
    }

    private static void assertStats(float[] values, double mean, double std, int count) {
        assertEquals(count, values.length);
        double sum = 0;
        double sq = 0;
        for (float v : values) {
            sum += v;
            sq += (double) v * v;
        }
        double m = sum / values.length;
        double s = Math.sqrt(sq / values.length - m * m);
        // Sampling error of the std is about std / sqrt(2n); 5 sigma plus a small floor for small tensors.
        assertEquals(std, s, 5 * std / Math.sqrt(2.0 * values.length) + 1e-6, "std");
        assertEquals(mean, m, 5 * std / Math.sqrt(values.length), "mean");
    }

    private static void assertAll(float[] values, float expected) {
        for (float v : values) {
            assertEquals(expected, v);
        }
    }
}
