package io.edgeloop.trainer.train;

import ai.djl.ndarray.NDManager;
import io.edgeloop.protocol.preprocess.DecodeLimits;
import io.edgeloop.protocol.preprocess.ImageDecoder;
import io.edgeloop.protocol.preprocess.PreprocessSpec;
import io.edgeloop.trainer.data.Augmentation;
import io.edgeloop.trainer.data.BatchLoader;
import io.edgeloop.trainer.data.ClassBalance;
import io.edgeloop.trainer.data.DataConfig;
import io.edgeloop.trainer.data.Dataset;
import io.edgeloop.trainer.data.DatasetLoader;
import io.edgeloop.trainer.model.FineTuneStrategy;
import io.edgeloop.trainer.onnx.HeadSpec;
import io.edgeloop.trainer.onnx.OnnxClassifierNetwork;
import io.edgeloop.trainer.onnx.OnnxImporter;
import io.edgeloop.trainer.testing.TestImages;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Figures for the report, not assertions: data-pipeline throughput and the frozen-backbone feature cache's
 * speed-up. Run with {@code -Dtest=TrainingBenchmark -DexcludedTestGroups=}.
 */
@Tag("benchmark")
@Timeout(value = 2, unit = TimeUnit.HOURS) // long by design: not the build's 5-minute default
class TrainingBenchmark {

    @Test
    void dataPipelineThroughput(@TempDir Path dir) throws Exception {
        TestImages.writeDataset(dir, new String[] {"a", "b"}, new int[] {32, 32}, 480, 1); // 480×480 PNG/JPEG
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            PreprocessSpec spec = PreprocessSpec.IMAGENET_224;
            for (boolean augment : new boolean[] {false, true}) {
                long t0 = System.nanoTime();
                Dataset data = new DatasetLoader(new ImageDecoder(DecodeLimits.DEFAULT))
                        .load(DataConfig.of(dir, spec, 1, augment), pool);
                double load = (System.nanoTime() - t0) / 1e9;
                BatchLoader loader = new BatchLoader(data.store(), Augmentation.DEFAULT, pool);
                int images = 0;
                long t1 = System.nanoTime();
                for (int epoch = 1; epoch <= 3; epoch++) {
                    int[] order = ClassBalance.shuffledOrder(data.train().size(), 1, epoch);
                    try (BatchLoader.BatchStream s = loader.stream(data.train(), order, 16, augment, 1, epoch)) {
                        while (s.hasNext()) {
                            images += s.next().size();
                        }
                    }
                }
                double seconds = (System.nanoTime() - t1) / 1e9;
                System.out.printf(Locale.ROOT, "pipeline augment=%s: load+decode %d images %.2f s; batches from"
                        + " cache %.0f images/s (2 threads, 224 px)%n", augment,
                        data.train().size() + data.validation().size(), load, images / seconds);
            }
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void featureCacheSpeedUp(@TempDir Path dir) throws Exception {
        TestImages.writeDataset(dir, new String[] {"a", "b", "c", "d"}, new int[] {40, 40, 40, 40}, 80, 1);
        Path base = Path.of("src/test/resources/onnx/arch/mobilenet_v2_op17_dyn_bn.onnx");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Dataset data = new DatasetLoader(new ImageDecoder(DecodeLimits.DEFAULT))
                    .load(DataConfig.of(dir, PreprocessSpec.IMAGENET_224.withCropSize(64), 1, false), pool);
            for (boolean cache : new boolean[] {true, false}) {
                FitConfig config = FitConfig.builder().strategy(FineTuneStrategy.HEAD).epochs(4).batchSize(16)
                        .imageSize(64).augment(false).featureCache(cache).warmupEpochs(0).patience(0).build();
                try (NDManager manager = NDManager.newBaseManager();
                     OnnxClassifierNetwork net = OnnxImporter.load(base, HeadSpec.auto(4, 1), manager)) {
                    FitResult r = new FineTuner(config, dir.resolve("out-" + cache), FitListener.NONE)
                            .fit(net, data, manager, pool, false);
                    double later = r.history().subList(1, 4).stream().mapToDouble(EpochMetrics::seconds).average()
                            .orElseThrow();
                    System.out.printf(Locale.ROOT, "feature cache %s: epoch 1 %.2f s, epochs 2-4 %.2f s each"
                            + " (%d train + %d val images, MobileNetV2 fixture 64 px)%n", cache,
                            r.history().get(0).seconds(), later, r.trainImages(), r.validationImages());
                }
            }
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
    }
}
