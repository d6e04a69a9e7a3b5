package io.edgeloop.trainer.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeloop.trainer.arch.ArchSpec;
import io.edgeloop.trainer.arch.Architecture;
import io.edgeloop.trainer.arch.ArchitectureOnnx;
import io.edgeloop.trainer.onnx.HeadSpec;
import io.edgeloop.trainer.onnx.OnnxClassifierNetwork;
import io.edgeloop.trainer.onnx.OnnxImporter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native warnings stay off stderr, and stderr works afterwards. In a fresh JVM, since the warnings come once
 * per process (this test JVM has long printed them).
 */
class QuietEngineTest {

    /** What the child JVM runs: a quiet start, then an import like fit's, then a line on stderr. */
    public static void main(String[] args) throws Exception {
        boolean quiet = args.length > 0 && args[0].equals("quiet");
        if (quiet) {
            QuietEngine.start();
        }
        try (NDManager manager = NDManager.newBaseManager("PyTorch");
             OnnxClassifierNetwork net = OnnxImporter.load(ArchitectureOnnx.build(
                     new ArchSpec(Architecture.SIMPLECNN, 0.25, 32, 3, 7)), HeadSpec.auto(3, 7), manager)) {
            System.err.println("after the import: stderr still works (" + net.numClasses() + " classes)");
        }
    }

    @Test
    void theNativeWarningsStayOffStderr(@TempDir Path dir) throws Exception {
        String loud = child(dir, "loud");
        assertTrue(loud.contains("AutoNonVariableTypeMode"), "the warning this hides still exists: " + loud);
        String quiet = child(dir, "quiet");
        assertFalse(quiet.contains("AutoNonVariableTypeMode"), quiet);
        assertFalse(quiet.contains("NNPACK"), quiet);
        assertTrue(quiet.contains("after the import: stderr still works (3 classes)"), quiet);
    }

    private static String child(Path dir, String mode) throws Exception {
        Path err = dir.resolve(mode + ".err");
        Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"),
                QuietEngineTest.class.getName(), mode))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(err.toFile())
                .start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child JVM did not finish within 120 s");
        String text = Files.readString(err, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), text);
        return text;
    }
}
