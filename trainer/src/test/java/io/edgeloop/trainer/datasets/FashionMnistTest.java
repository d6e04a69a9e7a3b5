package io.edgeloop.trainer.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistTest {

    @TempDir
    Path dir;

    @Test
    void loadsSyntheticSplitFromDirectory() throws Exception {
        IdxFiles.writeSplit(dir, FashionMnistSplit.TEST, 25, new int[] {9, 0, 6, 7});
        FashionMnist data = FashionMnist.load(dir, FashionMnistSplit.TEST);
        assertEquals(25, data.size());
        assertEquals(FashionMnistSplit.TEST, data.split());
        assertEquals(FashionMnistClass.ANKLE_BOOT, data.label(0));
        assertEquals(FashionMnistClass.SANDAL, data.label(2));
        assertArrayEquals(new int[] {6, 0, 0, 0, 0, 0, 6, 6, 0, 7}, data.classCounts());
        byte[] image = data.image(3);
        assertEquals(784, image.length);
        assertEquals(IdxFiles.pixel(3, 0), image[0]);
        assertEquals(IdxFiles.pixel(3, 783), image[783]);
    }

    @Test
    void missingFilesSayHowToInstall() {
        Path missing = dir.resolve("nowhere");
        DatasetNotFoundException e = assertThrows(DatasetNotFoundException.class,
                () -> FashionMnist.load(missing, FashionMnistSplit.TRAIN));
        assertEquals("Fashion-MNIST file not found: neither " + missing.resolve("train-images-idx3-ubyte.gz")
                + " nor " + missing.resolve("train-images-idx3-ubyte") + " exists. Install the dataset with"
                + " 'sudo apt-get install dataset-fashion-mnist' (Debian/Ubuntu, installs into"
                + " /usr/share/datasets/fashion-mnist), or pass a directory holding train-images-idx3-ubyte,"
                + " train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte (gzip'd or not)"
                + " from https://github.com/zalandoresearch/fashion-mnist", e.getMessage());
    }

    @Test
    void acceptsUncompressedFiles() throws Exception {
        IdxFiles.write(dir.resolve("train-images-idx3-ubyte"),
                IdxFiles.bytes(0x803, new int[] {1, 28, 28}, new byte[784]), false);
        IdxFiles.write(dir.resolve("train-labels-idx1-ubyte"), IdxFiles.bytes(0x801, new int[] {1}, new byte[] {4}),
                false);
        assertEquals(FashionMnistClass.COAT, FashionMnist.load(dir, FashionMnistSplit.TRAIN).label(0));
    }

    @Test
    void rejectsImagesOfWrongSize() throws Exception {
        Path images = IdxFiles.write(dir.resolve("train-images-idx3-ubyte.gz"),
                IdxFiles.bytes(0x803, new int[] {2, 27, 28}, new byte[2 * 27 * 28]), true);
        IdxFiles.write(dir.resolve("train-labels-idx1-ubyte.gz"), IdxFiles.bytes(0x801, new int[] {2},
                new byte[2]), true);
        IdxFormatException e = assertThrows(IdxFormatException.class,
                () -> FashionMnist.load(dir, FashionMnistSplit.TRAIN));
        assertEquals("Fashion-MNIST image file " + images + " has dimensions 2 × 27 × 28: expected N × 28 × 28",
                e.getMessage());
    }

    @Test
    void rejectsCountMismatch() throws Exception {
        Path images = IdxFiles.write(dir.resolve("train-images-idx3-ubyte.gz"),
                IdxFiles.bytes(0x803, new int[] {2, 28, 28}, new byte[2 * 784]), true);
        Path labels = IdxFiles.write(dir.resolve("train-labels-idx1-ubyte.gz"),
                IdxFiles.bytes(0x801, new int[] {3}, new byte[3]), true);
        IdxFormatException e = assertThrows(IdxFormatException.class,
                () -> FashionMnist.load(dir, FashionMnistSplit.TRAIN));
        assertEquals("Fashion-MNIST train split: " + images + " holds 2 images but " + labels + " holds 3 labels",
                e.getMessage());
    }

    @Test
    void rejectsLabelOutOfRange() throws Exception {
        IdxFiles.write(dir.resolve("train-images-idx3-ubyte.gz"),
                IdxFiles.bytes(0x803, new int[] {2, 28, 28}, new byte[2 * 784]), true);
        Path labels = IdxFiles.write(dir.resolve("train-labels-idx1-ubyte.gz"),
                IdxFiles.bytes(0x801, new int[] {2}, new byte[] {3, 10}), true);
        IdxFormatException e = assertThrows(IdxFormatException.class,
                () -> FashionMnist.load(dir, FashionMnistSplit.TRAIN));
        assertEquals("Fashion-MNIST label file " + labels + ": label of item 1 is 10, allowed 0 to 9",
                e.getMessage());
    }

    @Test
    void classNamesAndTasks() {
        assertEquals("T-shirt/top", FashionMnistClass.ofLabel(0).displayName());
        assertEquals("t-shirt-top", FashionMnistClass.ofLabel(0).folderName());
        assertEquals("ankle-boot", FashionMnistClass.ofLabel(9).folderName());
        assertEquals(List.of(FashionMnistClass.SANDAL, FashionMnistClass.SNEAKER, FashionMnistClass.BAG,
                FashionMnistClass.ANKLE_BOOT), FashionMnistTask.TARGET.classes());
        assertEquals(6, FashionMnistTask.SOURCE.classes().size());
        assertEquals(10, FashionMnistTask.ALL.classes().size());
        assertEquals(FashionMnistTask.TARGET, FashionMnistTask.parse("Target"));
        assertEquals("task 'xyz' is not one of source, target, all",
                assertThrows(IllegalArgumentException.class, () -> FashionMnistTask.parse("xyz")).getMessage());
        assertEquals("Fashion-MNIST label 10 does not exist: allowed 0 to 9",
                assertThrows(IllegalArgumentException.class, () -> FashionMnistClass.ofLabel(10)).getMessage());
    }

    /** The real dataset, when Debian's dataset-fashion-mnist is installed. */
    @Test
    void debianPackageHasPublishedCountsAndBalancedClasses() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(FashionMnist.DEBIAN_DIRECTORY),
                "dataset-fashion-mnist is not installed");
        FashionMnist train = FashionMnist.loadDebian(FashionMnistSplit.TRAIN);
        FashionMnist test = FashionMnist.loadDebian(FashionMnistSplit.TEST);
        assertEquals(60_000, train.size());
        assertEquals(10_000, test.size());
        int[] sixThousand = new int[10];
        int[] oneThousand = new int[10];
        Arrays.fill(sixThousand, 6000);
        Arrays.fill(oneThousand, 1000);
        assertArrayEquals(sixThousand, train.classCounts());
        assertArrayEquals(oneThousand, test.classCounts());
        // Known first labels (checked with numpy): train starts 9 0 0 3 0 2 7 2 5 5, test 9 2 1 1 6 1 4 6 5 7.
        int[] trainFirst = {9, 0, 0, 3, 0, 2, 7, 2, 5, 5};
        int[] testFirst = {9, 2, 1, 1, 6, 1, 4, 6, 5, 7};
        for (int i = 0; i < 10; i++) {
            assertEquals(trainFirst[i], train.label(i).label(), "train label " + i);
            assertEquals(testFirst[i], test.label(i).label(), "test label " + i);
        }
        // Pixel sums of the first images (numpy): 76247 and 33456.
        assertEquals(76_247, pixelSum(train.image(0)));
        assertEquals(33_456, pixelSum(test.image(0)));
    }

    private static int pixelSum(byte[] image) {
        int sum = 0;
        for (byte b : image) {
            sum += Byte.toUnsignedInt(b);
        }
        return sum;
    }
}
