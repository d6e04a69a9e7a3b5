package io.edgeloop.trainer.arch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The generated graphs run in ONNX Runtime with a dynamic batch, and compute what torchvision's own modules compute
 * with the same weights ({@code torchvision-outputs.json}, written by {@code torchvision_outputs.py}).
 */
class ArchitectureOrtTest {

    @TempDir
    Path dir;

    /** The test input both sides use: x[i] = ((i * 7919) % 1001) / 500 - 1 over the flat NCHW index. */
    static float[] input(int batch, int size) {
        float[] x = new float[batch * 3 * size * size];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (((i * 7919L) % 1001) / 500.0 - 1.0);
        }
        return x;
    }

    static float[][] run(OrtEnvironment env, byte[] model, float[] x, int batch, int size) throws Exception {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            try (OrtSession session = env.createSession(model, options);
                    OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(x),
                            new long[] {batch, 3, size, size});
                    OrtSession.Result result = session.run(Map.of(ArchitectureOnnx.INPUT_NAME, tensor))) {
                NodeInfo out = session.getOutputInfo().get(ArchitectureOnnx.OUTPUT_NAME);
                assertArrayEquals(new long[] {-1, ((TensorInfo) out.getInfo()).getShape()[1]},
                        ((TensorInfo) out.getInfo()).getShape());
                return (float[][]) result.get(ArchitectureOnnx.OUTPUT_NAME).orElseThrow().getValue();
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"mobilenetv2, 0.25, 24, 3", "resnet18, 0.125, 40, 10", "simplecnn, 0.25, 28, 4",
            "mobilenetv2, 1.0, 64, 1000"})
    void runsInOnnxRuntimeWithDynamicBatch(String arch, double width, int size, int classes) throws Exception {
        ArchSpec spec = new ArchSpec(Architecture.parse(arch), width, size, classes, 1);
        Path file = dir.resolve(arch + ".onnx");
        ArchitectureOnnx.write(ArchitectureOnnx.build(spec), file);
        byte[] model = Files.readAllBytes(file);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        for (int batch : new int[] {1, 3}) {
            float[][] logits = run(env, model, input(batch, size), batch, size);
            assertEquals(batch, logits.length);
            for (float[] row : logits) {
                assertEquals(classes, row.length);
                for (float v : row) {
                    assertTrue(Float.isFinite(v), "logit " + v);
                }
            }
        }
    }

    @Test
    void computesWhatTorchvisionComputes() throws Exception {
        JsonNode reference;
        try (InputStream in = getClass().getResourceAsStream("torchvision-outputs.json")) {
            reference = new ObjectMapper().readTree(in);
        }
        assertEquals(3, reference.size());
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        for (JsonNode ref : reference) {
            ArchSpec spec = new ArchSpec(Architecture.parse(ref.get("arch").asText()), ref.get("width").asDouble(),
                    ref.get("imageSize").asInt(), ref.get("classes").asInt(), ref.get("seed").asLong());
            ModelProto model = ArchitectureOnnx.build(spec);
            // The weights are those the reference was computed with (reproducible from the seed).
            assertEquals(ref.get("initializersSha256").asText(), initializersSha256(model), spec.toJson());
            int batch = ref.get("batch").asInt();
            float[][] logits = run(env, model.toByteArray(), input(batch, spec.imageSize()), batch,
                    spec.imageSize());
            for (int b = 0; b < batch; b++) {
                JsonNode row = ref.get("logits").get(b);
                double scale = 0;
                for (JsonNode v : row) {
                    scale = Math.max(scale, Math.abs(v.asDouble()));
                }
                for (int c = 0; c < spec.classes(); c++) {
                    double expected = row.get(c).asDouble();
                    assertEquals(expected, logits[b][c], 1e-4 * scale,
                            spec.architecture() + " logit [" + b + "][" + c + "]");
                }
            }
        }
    }

    private static String initializersSha256(ModelProto model) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        for (TensorProto t : model.getGraph().getInitializerList()) {
            if (!t.getRawData().isEmpty()) {
                digest.update(t.getRawData().toByteArray());
            } else {
                ByteBuffer bytes = ByteBuffer.allocate(4 * t.getFloatDataCount()).order(ByteOrder.LITTLE_ENDIAN);
                t.getFloatDataList().forEach(bytes::putFloat);
                digest.update(bytes.array());
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
