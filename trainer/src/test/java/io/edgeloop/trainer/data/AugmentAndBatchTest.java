package io.edgeloop.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeloop.protocol.preprocess.DecodeLimits;
import io.edgeloop.protocol.preprocess.ImageDecoder;
import io.edgeloop.protocol.preprocess.ImagePreprocessor;
import io.edgeloop.protocol.preprocess.PreprocessSpec;
import io.edgeloop.trainer.testing.TestImages;
import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AugmentAndBatchTest {

    private static final PreprocessSpec SPEC = PreprocessSpec.imagenet(24, 20);

    @Test
    void cropBoxFollowsTorchvisionBounds() {
        AugmentTransform t = new AugmentTransform(Augmentation.DEFAULT, SPEC);
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 2000; i++) {
            int[] box = t.cropBox(64, 48, random);
            assertTrue(box[0] >= 0 && box[1] >= 0 && box[0] + box[2] <= 64 && box[1] + box[3] <= 48,
                    java.util.Arrays.toString(box));
            double area = (double) box[2] * box[3] / (64 * 48);
            assertTrue(area > 0.07 && area <= 1.0, "area " + area);
        }
    }

    @Test
    void impossibleRatioFallsBackToAClampedCentreCrop() {
        // a 100×10 strip cannot hold a crop of ratio <= 4/3 with area >= 0.9: centre crop of 13×10
        AugmentTransform t = new AugmentTransform(Augmentation.DEFAULT.withScale(0.9, 1.0), SPEC);
        assertArrayEquals(new int[] {43, 0, 13, 10}, t.cropBox(100, 10, new SplittableRandom(3)));
    }

    @Test
    void sameRandomStateGivesTheSameImage() {
        BufferedImage source = TestImages.image(1, 40, 30, new Random(2));
        AugmentTransform t = new AugmentTransform(Augmentation.DEFAULT, SPEC);
        BufferedImage a = t.apply(source, new SplittableRandom(11));
        BufferedImage b = t.apply(source, new SplittableRandom(11));
        BufferedImage c = t.apply(source, new SplittableRandom(12));
        assertEquals(20, a.getWidth());
        assertEquals(20, a.getHeight());
        assertArrayEquals(pixels(a), pixels(b));
        assertFalse(java.util.Arrays.equals(pixels(a), pixels(c)));
    }

    @Test
    void flipAlwaysMirrorsWhenProbabilityIsOne() {
        BufferedImage source = TestImages.image(2, 20, 20, new Random(2));
        Augmentation full = new Augmentation(1.0, 1.0, 1.0, 1.0, 0.0, 0, 0, 0);
        Augmentation flipped = new Augmentation(1.0, 1.0, 1.0, 1.0, 1.0, 0, 0, 0);
        BufferedImage plain = new AugmentTransform(full, SPEC).apply(source, new SplittableRandom(1));
        BufferedImage mirror = new AugmentTransform(flipped, SPEC).apply(source, new SplittableRandom(1));
        assertArrayEquals(pixels(source), pixels(plain), "scale 1, ratio 1 on a 20×20 image is the identity");
        for (int y = 0; y < 20; y++) {
            for (int x = 0; x < 20; x++) {
                assertEquals(plain.getRGB(x, y), mirror.getRGB(19 - x, y));
            }
        }
    }

    @Test
    void augmentationSettingsAreValidated() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Augmentation.DEFAULT.withScale(0.5, 0.2));
        assertEquals("augmentation scale is (0.5, 0.2), allowed 0 < minScale <= maxScale <= 1", e.getMessage());
    }

    @Test
    void evalBatchesEqualTheProtocolPreprocessingAndAugmentedOnesAreReproducible(@TempDir Path root)
            throws Exception {
        TestImages.writeDataset(root, new String[] {"a", "b"}, new int[] {5, 4}, 30, 5);
        ExecutorService pool = Executors.newSingleThreadExecutor(); // one thread: must not deadlock
        try {
            ImageDecoder decoder = new ImageDecoder(DecodeLimits.DEFAULT);
            ImageFolder folder = ImageFolder.scan(root);
            ImageStore store = new ImageStore(decoder, SPEC, 1 << 20);
            BatchLoader loader = new BatchLoader(store, Augmentation.DEFAULT, pool);
            int[] order = {8, 0, 3, 5, 1, 2, 7, 6, 4};
            try (BatchLoader.BatchStream stream = loader.stream(folder.samples(), order, 4, false, 1, 1)) {
                assertEquals(3, stream.batchCount());
                int position = 0;
                ImagePreprocessor reference = new ImagePreprocessor(SPEC);
                while (stream.hasNext()) {
                    Batch batch = stream.next();
                    for (int i = 0; i < batch.size(); i++) {
                        ImageSample s = folder.samples().get(order[position]);
                        assertEquals(order[position], batch.sampleIndices()[i]);
                        assertEquals(s.label(), batch.labels()[i]);
                        FloatBuffer expected = FloatBuffer.allocate(SPEC.tensorLength());
                        reference.preprocess(decoder.decode(s.file()), expected);
                        float[] actual = new float[SPEC.tensorLength()];
                        batch.pixels().duplicate().position(i * SPEC.tensorLength()).get(actual);
                        assertArrayEquals(expected.array(), actual, "image " + s.relativePath());
                        position++;
                    }
                }
                assertEquals(9, position);
            }
            float[] first = augmentedBatch(loader, folder, order, 1);
            assertArrayEquals(first, augmentedBatch(loader, folder, order, 1));
            assertFalse(java.util.Arrays.equals(first, augmentedBatch(loader, folder, order, 2)));
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private static float[] augmentedBatch(BatchLoader loader, ImageFolder folder, int[] order, int epoch) {
        try (BatchLoader.BatchStream stream = loader.stream(folder.samples(), order, 9, true, 7, epoch)) {
            FloatBuffer pixels = stream.next().pixels();
            float[] copy = new float[pixels.remaining()];
            pixels.duplicate().get(copy);
            return copy;
        }
    }

    private static int[] pixels(BufferedImage image) {
        return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    }
}
