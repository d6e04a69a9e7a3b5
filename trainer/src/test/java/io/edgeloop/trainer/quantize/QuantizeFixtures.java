package io.edgeloop.trainer.quantize;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.edgeloop.protocol.preprocess.DecodeLimits;
import io.edgeloop.protocol.preprocess.ImageDecoder;
import io.edgeloop.protocol.preprocess.PreprocessSpec;
import io.edgeloop.trainer.data.Augmentation;
import io.edgeloop.trainer.data.Batch;
import io.edgeloop.trainer.data.BatchLoader;
import io.edgeloop.trainer.data.DataConfig;
import io.edgeloop.trainer.data.ImageFolder;
import io.edgeloop.trainer.data.ImageSample;
import io.edgeloop.trainer.data.ImageStore;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The quantisation tests' real parts: the committed fp32 fixture (scripts/make-quantize-fixtures.sh), the committed
 * Fashion-MNIST target sample and the trainer's own preprocessing of it.
 */
final class QuantizeFixtures {

    /** fp32 package: the base fine-tuned on the target sample (93.25 % on its 400 test images). */
    static final Path FP32 = Path.of("src", "test", "resources", "quantize", "fashion-target-fp32.onnx");
    static final Path SAMPLE = Path.of("..", "data", "fashion-mnist-target").toAbsolutePath().normalize();
    static final Path TRAIN = SAMPLE.resolve("train");
    static final Path TEST = SAMPLE.resolve("test");
    /** The committed base (trained Conv + BatchNormalization with real running statistics). */
    static final Path BASE = Path.of("..", "models", "base", "model.onnx").toAbsolutePath().normalize();

    private QuantizeFixtures() {
    }

    /** Labelled, preprocessed images: N×3×S×S pixels and their class indices. */
    record Images(float[] pixels, int[] labels, int side) {
        int count() {
            return labels.length;
        }

        long[] shape() {
            return new long[] {count(), 3, side, side};
        }
    }

    /** The first {@code n} images of a folder (path order), preprocessed with {@code spec} by the trainer's store. */
    static Images images(Path folder, List<String> labels, PreprocessSpec spec, int n) throws Exception {
        List<ImageSample> samples = ImageFolder.scanWithLabels(folder, labels, "folder", "labels").samples();
        samples = samples.subList(0, Math.min(n, samples.size()));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            ImageStore store = new ImageStore(new ImageDecoder(DecodeLimits.DEFAULT), spec,
                    DataConfig.DEFAULT_CACHE_BYTES);
            try (BatchLoader.BatchStream stream = new BatchLoader(store, Augmentation.DEFAULT, pool)
                    .inOrder(samples, samples.size())) {
                Batch b = stream.next();
                float[] pixels = new float[b.pixels().remaining()];
                b.pixels().duplicate().get(pixels);
                return new Images(pixels, b.labels().clone(), b.imageSize());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Runs a model in ONNX Runtime (default optimisations) and returns the named output. */
    static float[] run(byte[] model, String input, String output, Images images) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
             OrtSession session = env.createSession(model, options);
             OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(images.pixels()), images.shape());
             OrtSession.Result r = session.run(Map.of(input, x))) {
            FloatBuffer out = ((OnnxTensor) r.get(output).orElseThrow()).getFloatBuffer();
            float[] values = new float[out.remaining()];
            out.get(values);
            return values;
        }
    }

    static int[] top1(float[] scores, int k) {
        int[] top = new int[scores.length / k];
        for (int i = 0; i < top.length; i++) {
            for (int c = 1; c < k; c++) {
                if (scores[i * k + c] > scores[i * k + top[i]]) {
                    top[i] = c;
                }
            }
        }
        return top;
    }
}
