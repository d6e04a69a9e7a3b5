package io.edgeloop.trainer.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeloop.protocol.preprocess.DecodeLimits;
import io.edgeloop.protocol.preprocess.ImageDecoder;
import io.edgeloop.protocol.preprocess.PreprocessSpec;
import io.edgeloop.trainer.testing.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetLoaderTest {

    private static final PreprocessSpec SPEC = PreprocessSpec.imagenet(18, 16);
    @TempDir
    Path root;
    private ExecutorService pool;
    private final DatasetLoader loader = new DatasetLoader(new ImageDecoder(DecodeLimits.DEFAULT));

    @BeforeEach
    void startPool() {
        pool = Executors.newFixedThreadPool(2);
    }

    @AfterEach
    void stopPool() throws InterruptedException {
        pool.shutdownNow();
        pool.awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void corruptImagesAreSkippedAndListed() throws Exception {
        TestImages.writeDataset(root, new String[] {"a", "b"}, new int[] {6, 6}, 20, 3);
        Path truncated = root.resolve("a/img001.png");
        byte[] bytes = Files.readAllBytes(truncated);
        Files.write(truncated, Arrays.copyOf(bytes, 40));
        Path empty = Files.write(root.resolve("b/empty.jpg"), new byte[0]);
        Path text = Files.writeString(root.resolve("b/text.bmp"), "hello, not a bitmap");

        Dataset data = loader.load(DataConfig.of(root, SPEC, 1, false), pool);

        assertEquals(3, data.skipped().size());
        assertEquals(11, data.train().size() + data.validation().size());
        var byFile = new java.util.HashMap<Path, String>();
        data.skipped().forEach(s -> byFile.put(s.file(), s.reason()));
        assertEquals("corrupt PNG: truncated: the file ends at byte 40 before the IEND chunk", byFile.get(truncated));
        assertEquals("empty (0 bytes)", byFile.get(empty));
        assertEquals("not an image (looks like text, starts with bytes 68 65 6c 6c 6f 2c 20 6e), allowed JPEG, PNG,"
                + " BMP", byFile.get(text));
        assertTrue(data.train().stream().noneMatch(s -> byFile.containsKey(s.file())));
    }

    @Test
    void aClassWithOnlyUnreadableImagesIsAnError() throws Exception {
        TestImages.writeDataset(root, new String[] {"a"}, new int[] {4}, 20, 3);
        Files.createDirectories(root.resolve("b"));
        Files.writeString(root.resolve("b/x.png"), "garbage");
        DatasetException e = assertThrows(DatasetException.class,
                () -> loader.load(DataConfig.of(root, SPEC, 1, false), pool));
        assertEquals("class folder " + root.resolve("b") + " has no readable training images (1 skipped as"
                + " unreadable)", e.getMessage());
    }

    @Test
    void fingerprintFollowsContentAndLabelsNotLocation(@TempDir Path other) throws Exception {
        TestImages.writeDataset(root, new String[] {"a", "b"}, new int[] {3, 3}, 12, 3);
        TestImages.writeDataset(other, new String[] {"a", "b"}, new int[] {3, 3}, 12, 3);
        String first = loader.load(DataConfig.of(root, SPEC, 1, false), pool).fingerprint();
        assertEquals(64, first.length());
        assertEquals(first, loader.load(DataConfig.of(other, SPEC, 1, false), pool).fingerprint());

        Files.move(other.resolve("a/img002.png"), other.resolve("b/img009.png"));
        String relabelled = loader.load(DataConfig.of(other, SPEC, 1, false), pool).fingerprint();
        assertNotEquals(first, relabelled);

        TestImages.writeDataset(other, new String[] {"a"}, new int[] {1}, 12, 99); // rewrites a/img000.jpg
        assertNotEquals(relabelled, loader.load(DataConfig.of(other, SPEC, 1, false), pool).fingerprint());
    }

    @Test
    void cacheHoldsPreparedImagesUpToTheCap() throws Exception {
        TestImages.writeDataset(root, new String[] {"a", "b"}, new int[] {5, 5}, 20, 3);
        Dataset all = loader.load(DataConfig.of(root, SPEC, 1, false), pool);
        assertEquals(10, all.store().cachedImages());
        assertEquals(10L * 16 * 16 * 4, all.store().cachedBytes());
        Dataset some = loader.load(DataConfig.of(root, SPEC, 1, false).withCacheBytes(3L * 16 * 16 * 4), pool);
        assertEquals(3, some.store().cachedImages());
        Dataset none = loader.load(DataConfig.of(root, SPEC, 1, false).withCacheBytes(0), pool);
        assertEquals(0, none.store().cachedImages());
        assertEquals(all.train(), none.train());
    }

    @Test
    void separateValidationFolderIsUsedAsIs(@TempDir Path val) throws Exception {
        TestImages.writeDataset(root, new String[] {"a", "b"}, new int[] {4, 4}, 12, 3);
        TestImages.writeDataset(val, new String[] {"b"}, new int[] {2}, 12, 4);
        Dataset data = loader.load(DataConfig.of(root, SPEC, 1, false).withValidationDir(val), pool);
        assertEquals(8, data.train().size());
        assertEquals(2, data.validation().size());
        assertEquals(1, data.validation().get(0).label());
    }
}
