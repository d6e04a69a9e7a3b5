package io.edgeloop.agent.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Extracting ONNX Runtime's libraries once into a folder, from the real ORT jar on the classpath. */
class OrtNativesTest {

    @TempDir
    Path tmp;

    private final String before = System.getProperty(OrtNatives.ORT_PROPERTY);

    @AfterEach
    void restore() {
        // other tests in this JVM must not load ORT from a deleted temporary folder
        if (before == null) {
            System.clearProperty(OrtNatives.ORT_PROPERTY);
        } else {
            System.setProperty(OrtNatives.ORT_PROPERTY, before);
        }
    }

    @Test
    void extractsOnceRewritesWhatDiffersAndPointsOrtAtTheFolder() throws Exception {
        Path dir = tmp.resolve("native");
        assertEquals(2, OrtNatives.prepare(dir));
        assertEquals(dir.toAbsolutePath().toString(), System.getProperty(OrtNatives.ORT_PROPERTY));
        String jni = System.mapLibraryName("onnxruntime4j_jni");
        try (InputStream in = OrtNatives.class.getResourceAsStream("/ai/onnxruntime/native/" + OrtNatives.platform()
                + "/" + jni)) {
            assertArrayEquals(in.readAllBytes(), Files.readAllBytes(dir.resolve(jni)));
        }
        assertEquals(0, OrtNatives.prepare(dir), "up to date: nothing written");
        Files.write(dir.resolve(jni), new byte[] {1, 2, 3});
        assertEquals(1, OrtNatives.prepare(dir), "a library of another size is replaced");
        assertTrue(Files.size(dir.resolve(System.mapLibraryName("onnxruntime"))) > 1_000_000);
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count(), "no .part file left");
        }
    }
}
