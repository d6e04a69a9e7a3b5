package io.edgeloop.trainer.base;

import io.edgeloop.trainer.onnx.ChannelsFirst;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnx.proto.OnnxMl;
import io.edgeloop.protocol.digest.Sha256;
import io.edgeloop.protocol.model.ModelCard;
import io.edgeloop.protocol.model.ModelPackage;
import io.edgeloop.protocol.model.ModelPackageException;
import io.edgeloop.protocol.model.OutputKind;
import io.edgeloop.protocol.preprocess.PreprocessSpec;
import io.edgeloop.trainer.onnx.HeadSpec;
import io.edgeloop.trainer.onnx.OnnxClassifierNetwork;
import io.edgeloop.trainer.onnx.OnnxImporter;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Download, verify and package a base as {@code base pull} does, then import the package as {@code fit} does: the
 * card carries preprocessing, the 1000 ImageNet labels and provenance; an NHWC base is adapted to NCHW input
 * without changing what it computes (checked with ONNX Runtime).
 */
class BasePullTest {

    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

    @TempDir
    Path dir;

    private final BasePackager packager = new BasePackager(Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void aPulledBaseBecomesAPackageThatTheImporterLoads() throws Exception {
        byte[] bytes = FixtureServer.nchwBytes();
        try (FixtureServer server = new FixtureServer(FixtureServer.serving(bytes, true))) {
            BaseCatalog catalog = BaseCatalog.parse(FixtureServer.catalogJson("tiny-nchw", server.url("/t.onnx"),
                    bytes, "data", "NCHW", 32).getBytes(StandardCharsets.UTF_8), "test");
            BaseEntry entry = catalog.require("tiny-nchw");
            BaseCache cache = new BaseCache(dir.resolve("cache"));
            DownloadOutcome got = new BaseDownloader(DownloadSettings.defaults(ProxyEnvironment.NONE))
                    .fetch(entry, cache, DownloadListener.NONE);
            Path target = dir.resolve("bases/tiny-nchw/model.onnx");
            PulledPackage pulled = packager.write(entry, got.file(), catalog.version(), ImageNetLabels.load(),
                    target);

            assertEquals(List.of(), pulled.notices());
            ModelPackage read = ModelPackage.read(target);
            ModelCard card = read.card();
            assertEquals("tiny-nchw", card.name());
            assertEquals("sha256-" + Sha256.hex(bytes).substring(0, 12), card.version());
            assertEquals(NOW, card.created());
            assertEquals(ImageNetLabels.load(), card.labels());
            assertEquals("tench", card.labels().get(0));
            assertEquals("toilet tissue", card.labels().get(999));
            assertEquals("data", card.input().name());
            assertEquals(List.of(-1L, 3L, 32L, 32L), card.input().shape());
            assertEquals(new PreprocessSpec(io.edgeloop.protocol.preprocess.ResizePolicy.SHORTER_SIDE, 36, 32,
                    List.of(0.485, 0.456, 0.406), List.of(0.229, 0.224, 0.225), 1.0 / 255.0,
                    io.edgeloop.protocol.preprocess.ColourOrder.RGB), card.preprocessing());
            assertEquals(OutputKind.LOGITS, card.output().kind());
            assertEquals("logits", card.output().name());
            Map<String, String> notes = card.notes();
            assertEquals(entry.url(), notes.get("source_url"));
            assertEquals(Sha256.hex(bytes), notes.get("source_sha256"));
            assertEquals(String.valueOf(bytes.length), notes.get("source_size_bytes"));
            assertEquals("Apache-2.0", notes.get("licence"));
            assertEquals("edgeloop base catalogue test-1", notes.get("catalogue"));

            // the graph is the published one: only the card was added
            OnnxMl.ModelProto original = OnnxMl.ModelProto.parseFrom(bytes);
            assertEquals(original.getGraph(), read.model().getGraph());

            try (NDManager manager = NDManager.newBaseManager("PyTorch");
                 OnnxClassifierNetwork net = OnnxImporter.load(target, HeadSpec.auto(5, 42), manager)) {
                assertEquals(5, net.numClasses());
                assertEquals(32, net.imageSize());
                assertEquals(List.of("fc"), net.headCut().oldHeadNodes());
            }
        }
    }

    @Test
    void anNhwcBaseIsAdaptedToNchwAndComputesTheSame() throws Exception {
        byte[] bytes = Files.readAllBytes(FixtureServer.NHWC);
        BaseEntry entry = BaseCatalog.parse(FixtureServer.catalogJson("tiny-nhwc", "https://example.org/t.onnx",
                bytes, "images:0", "NHWC", 32).getBytes(StandardCharsets.UTF_8), "test").bases().get(0);
        Path source = dir.resolve("source.onnx");
        Files.write(source, bytes);
        Path target = dir.resolve("pkg/model.onnx");
        PulledPackage pulled = packager.write(entry, source, "test-1", ImageNetLabels.load(), target);

        assertEquals(List.of("the NHWC input \"images:0\" now takes NCHW images through a Transpose in front (node "
                + ChannelsFirst.NODE + ")"), pulled.notices());
        ModelCard card = ModelPackage.read(target).card();
        assertEquals(List.of(1L, 3L, 32L, 32L), card.input().shape());
        assertEquals(OutputKind.PROBABILITIES, card.output().kind());
        assertEquals("Softmax:0", card.output().name());
        assertTrue(card.notes().get("adapted").contains("Transpose"));

        float[] nhwc = new float[32 * 32 * 3];
        Random random = new Random(7);
        for (int i = 0; i < nhwc.length; i++) {
            nhwc[i] = (float) random.nextGaussian();
        }
        float[] nchw = new float[nhwc.length];
        for (int h = 0; h < 32; h++) {
            for (int w = 0; w < 32; w++) {
                for (int c = 0; c < 3; c++) {
                    nchw[(c * 32 + h) * 32 + w] = nhwc[(h * 32 + w) * 3 + c];
                }
            }
        }
        float[] expected = run(bytes, "images:0", nhwc, new long[] {1, 32, 32, 3});
        float[] actual = run(Files.readAllBytes(target), "images:0", nchw, new long[] {1, 3, 32, 32});
        assertEquals(1000, actual.length);
        assertArrayEquals(expected, actual, 1e-6f);

        try (NDManager manager = NDManager.newBaseManager("PyTorch");
             OnnxClassifierNetwork net = OnnxImporter.load(target, HeadSpec.auto(3, 42), manager)) {
            assertEquals(32, net.imageSize());
            assertEquals(false, net.channelsLast());
        }
    }

    @Test
    void aGraphThatContradictsTheCatalogueIsRefusedNamingTheFile() throws Exception {
        byte[] bytes = FixtureServer.nchwBytes();
        BaseEntry entry = BaseCatalog.parse(FixtureServer.catalogJson("tiny", "https://example.org/t.onnx",
                bytes, "data", "NCHW", 64).getBytes(StandardCharsets.UTF_8), "test").bases().get(0);
        Path source = dir.resolve("source.onnx");
        Files.write(source, bytes);
        ModelPackageException e = assertThrows(ModelPackageException.class,
                () -> packager.write(entry, source, "t", ImageNetLabels.load(), dir.resolve("x/model.onnx")));
        assertTrue(e.getMessage().startsWith(source.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("input.shape is [-1, 3, 32, 32]"), e.getMessage());
    }

    private static float[] run(byte[] model, String input, float[] data, long[] shape) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(model, new OrtSession.SessionOptions());
             OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(data), shape);
             OrtSession.Result result = session.run(Map.of(input, tensor))) {
            float[][] out = (float[][]) result.get(0).getValue();
            return out[0];
        }
    }
}
