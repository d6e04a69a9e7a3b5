package io.edgeloop.trainer.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.onnx.proto.OnnxMl;
import io.edgeloop.trainer.loop.LoopConfig;
import io.edgeloop.trainer.onnx.HeadSpec;
import io.edgeloop.trainer.onnx.OnnxImportException;
import io.edgeloop.trainer.onnx.OnnxImporter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bugs the fuzz campaigns found, each named after its input: now a clear rejection. */
class FuzzRegressionTest {

    @TempDir
    Path tmp;

    private static OnnxMl.ModelProto valid() throws Exception {
        return OnnxMl.ModelProto.parseFrom(Files.readAllBytes(
                Path.of("src/test/resources/onnx/arch/alias_shared_conv_weight_op13.onnx")));
    }

    private String importError(OnnxMl.ModelProto model) throws Exception {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            return assertThrows(OnnxImportException.class,
                    () -> OnnxImporter.load(model, HeadSpec.auto(3, 1), manager).close()).getMessage();
        }
    }

    /** Was: EngineException "Storage size calculation overflowed" from libtorch in the dry run. */
    @Test
    void onnxWithAnInputOf2Pow40PixelsPerSideIsRefused() throws Exception {
        OnnxMl.ModelProto model = OnnxMl.ModelProto.parseFrom(OnnxShapes.hostile(valid()).get(1));
        String message = importError(model);
        assertTrue(message.endsWith(": allowed height and width 1..8192 and 1..64 channels"), message);
        assertTrue(message.contains("1099511627776"), message);
    }

    /** Was: ArithmeticException "integer overflow" sizing the values of a 2^20 × 2^20 initializer with no data. */
    @Test
    void onnxWithAnInitializerDeclaring2Pow40ElementsAndNoDataIsRefused() throws Exception {
        OnnxMl.ModelProto model = OnnxMl.ModelProto.parseFrom(OnnxShapes.hostile(valid()).get(5));
        String name = model.getGraph().getInitializer(0).getName();
        assertEquals("tensor '" + name + "': dims [1048576, 1048576] are negative or declare more than 2147483647"
                + " bytes of values, allowed non-negative dims whose values fit in the file", importError(model));
    }

    /** Was: MalformedInputException "Input length = 1", naming neither the file nor the problem. */
    @Test
    void loopYamlInLatin1IsRefusedAsNotUtf8() throws Exception {
        Path file = tmp.resolve("loop.yaml");
        Files.write(file, "model: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(file + ": not UTF-8 text, allowed a UTF-8 YAML file (see devices/workstation/loop.yaml)",
                assertThrows(IllegalArgumentException.class, () -> LoopConfig.load(file)).getMessage());
    }
}
