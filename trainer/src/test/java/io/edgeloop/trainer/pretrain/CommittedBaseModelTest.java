package io.edgeloop.trainer.pretrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.edgeloop.protocol.model.ModelCard;
import io.edgeloop.protocol.model.ModelPackage;
import io.edgeloop.protocol.preprocess.DecodeLimits;
import io.edgeloop.protocol.preprocess.ImageDecoder;
import io.edgeloop.protocol.preprocess.ImagePreprocessor;
import io.edgeloop.protocol.preprocess.ResizePolicy;
import io.edgeloop.trainer.data.ImageFolder;
import io.edgeloop.trainer.data.ImageSample;
import io.edgeloop.trainer.datasets.FashionMnist;
import io.edgeloop.trainer.datasets.FashionMnistSplit;
import io.edgeloop.trainer.datasets.FashionMnistTask;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed {@code models/base/model.onnx} is what its README says: a valid package with the source labels and
 * the fitted preprocessing, runnable by ONNX Runtime (the device's engine) through the protocol's preprocessing;
 * the slow check recomputes its source-task test accuracy that way and compares it with the card.
 */
@Timeout(value = 2, unit = TimeUnit.HOURS) // long by design: not the build's 5-minute default
class CommittedBaseModelTest {

    static final Path BASE = Path.of("").toAbsolutePath().getParent().resolve("models/base/model.onnx");
    static final Path SAMPLE = Path.of("").toAbsolutePath().getParent().resolve("data/fashion-mnist-target");

    @Test
    void cardDescribesTheSourceTaskAndOrtRunsIt() throws Exception {
        ModelCard card = ModelPackage.read(BASE).card();
        assertEquals(Pretrainer.MODEL_NAME, card.name());
        assertEquals(List.of("coat", "dress", "pullover", "shirt", "t-shirt-top", "trouser"), card.labels());
        assertEquals(ResizePolicy.EXACT, card.preprocessing().resize());
        assertEquals(28, card.preprocessing().cropSize());
        assertEquals(List.of(0.2844, 0.2844, 0.2844), card.preprocessing().mean());
        assertEquals(List.of(0.3542, 0.3542, 0.3542), card.preprocessing().std());
        assertEquals(0.9255, card.metrics().get("source_test_accuracy"), 1e-9);
        assertEquals(36000.0, card.metrics().get("source_train_images"));
        assertTrue(Files.size(BASE) < 1_000_000, "committed fixture stays small");

        List<ImageSample> images = ImageFolder.scan(SAMPLE.resolve("test")).samples().subList(0, 50);
        float[][] probabilities = run(card, images.stream().map(ImageSample::file).toList(), "probabilities");
        assertEquals(50, probabilities.length);
        for (float[] p : probabilities) {
            assertEquals(6, p.length);
            double sum = 0;
            for (float v : p) {
                assertTrue(v >= 0 && v <= 1);
                sum += v;
            }
            assertEquals(1.0, sum, 1e-4);
        }
    }

    /** ORT over all 6,000 source test images (exported from Debian's Fashion-MNIST) reproduces the card's figure. */
    @Test
    @Tag("slow")
    void ortReproducesTheSourceTestAccuracyOfTheCard(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(FashionMnist.DEBIAN_DIRECTORY),
                "Debian's dataset-fashion-mnist is not installed");
        ModelCard card = ModelPackage.read(BASE).card();
        Path test = FashionMnistFolders.ensure(FashionMnist.loadDebian(FashionMnistSplit.TEST),
                FashionMnistTask.SOURCE, dir);
        List<ImageSample> samples = ImageFolder.scan(test).samples();
        float[][] logits = run(card, samples.stream().map(ImageSample::file).toList(), "logits");
        int correct = 0;
        for (int i = 0; i < samples.size(); i++) {
            int best = 0;
            for (int c = 1; c < logits[i].length; c++) {
                best = logits[i][c] > logits[i][best] ? c : best;
            }
            correct += best == samples.get(i).label() ? 1 : 0;
        }
        assertEquals(6000, samples.size());
        assertEquals(card.metrics().get("source_test_accuracy"), correct / 6000.0, 0.001);
    }

    /** Decodes and preprocesses each file as the agent does and runs the model in batches of 100. */
    static float[][] run(ModelCard card, List<Path> files, String output) throws Exception {
        ImageDecoder decoder = new ImageDecoder(DecodeLimits.DEFAULT);
        ImagePreprocessor preprocessor = new ImagePreprocessor(card.preprocessing());
        int per = card.preprocessing().tensorLength();
        int side = card.preprocessing().cropSize();
        float[][] result = new float[files.size()][];
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            try (OrtSession session = env.createSession(BASE.toString(), options)) {
                for (int from = 0; from < files.size(); from += 100) {
                    int n = Math.min(100, files.size() - from);
                    FloatBuffer batch = ByteBuffer.allocateDirect(4 * n * per).order(ByteOrder.nativeOrder())
                            .asFloatBuffer();
                    for (int i = 0; i < n; i++) {
                        FloatBuffer slot = batch.duplicate();
                        slot.position(i * per);
                        preprocessor.preprocess(decoder.decode(files.get(from + i)), slot);
                    }
                    try (OnnxTensor input = OnnxTensor.createTensor(env, batch, new long[] {n, 3, side, side});
                         OrtSession.Result out = session.run(Map.of(card.input().name(), input))) {
                        float[][] values = (float[][]) out.get(output).orElseThrow().getValue();
                        System.arraycopy(values, 0, result, from, n);
                    }
                }
            }
        }
        return result;
    }
}
