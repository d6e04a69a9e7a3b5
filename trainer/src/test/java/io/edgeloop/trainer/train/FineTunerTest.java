package io.edgeloop.trainer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.edgeloop.protocol.preprocess.DecodeLimits;
import io.edgeloop.protocol.preprocess.ImageDecoder;
import io.edgeloop.protocol.preprocess.PreprocessSpec;
import io.edgeloop.trainer.data.DataConfig;
import io.edgeloop.trainer.data.Dataset;
import io.edgeloop.trainer.data.DatasetLoader;
import io.edgeloop.trainer.model.FineTuneStrategy;
import io.edgeloop.trainer.testing.TestImages;
import io.edgeloop.trainer.testing.TinyConvNetwork;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FineTunerTest {

    static final int SIZE = 32;
    static final PreprocessSpec SPEC = PreprocessSpec.imagenet(36, SIZE);
    static ExecutorService pool;
    @TempDir
    static Path dataDir;

    @BeforeAll
    static void setUp() throws Exception {
        pool = Executors.newFixedThreadPool(2);
        TestImages.writeDataset(dataDir, new String[] {"a", "b", "c"}, new int[] {20, 20, 20}, 40, 7);
    }

    @AfterAll
    static void tearDown() throws Exception {
        pool.shutdownNow();
        pool.awaitTermination(10, TimeUnit.SECONDS);
    }

    static Dataset load(boolean augment) throws Exception {
        return new DatasetLoader(new ImageDecoder(DecodeLimits.DEFAULT))
                .load(DataConfig.of(dataDir, SPEC, 1, augment).withValidationFraction(0.25), pool);
    }

    @Test
    void headWithFeatureCacheLearnsTheClasses(@TempDir Path out) throws Exception {
        FitConfig config = FitConfig.builder().strategy(FineTuneStrategy.HEAD).epochs(8).batchSize(16)
                .imageSize(SIZE).learningRate(0.05).augment(false).warmupEpochs(0).patience(0).seed(1).build();
        Dataset data = load(false);
        try (NDManager manager = NDManager.newBaseManager()) {
            TinyConvNetwork net = TinyConvNetwork.create(manager, 3, SIZE, 1);
            FitResult result = new FineTuner(config, out, FitListener.NONE).fit(net, data, manager, pool, false);
            System.out.println(result.history());
            assertTrue(result.featureCacheUsed());
            assertEquals(8, result.history().size());
            assertTrue(result.evaluation().orElseThrow().accuracy() > 0.8, "accuracy " + result.evaluation());
        }
    }

    @Test
    void fullWithAugmentationTrains(@TempDir Path out) throws Exception {
        FitConfig config = FitConfig.builder().strategy(FineTuneStrategy.FULL).epochs(4).batchSize(16)
                .imageSize(SIZE).learningRate(0.01).augment(true).warmupEpochs(1).patience(0).seed(1).build();
        Dataset data = load(true);
        try (NDManager manager = NDManager.newBaseManager()) {
            TinyConvNetwork net = TinyConvNetwork.create(manager, 3, SIZE, 1);
            FitResult result = new FineTuner(config, out, FitListener.NONE).fit(net, data, manager, pool, false);
            System.out.println(result.history());
            assertEquals(4, result.history().size());
        }
    }
}
