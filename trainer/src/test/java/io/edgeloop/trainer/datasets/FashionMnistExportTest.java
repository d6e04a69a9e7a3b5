package io.edgeloop.trainer.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistExportTest {

    @TempDir
    Path dir;

    private FashionMnist data;

    /** 100 images; labels cycle 0..9 except that Bag (8) appears only in every other cycle: 5 bags, 15 shirts. */
    @BeforeEach
    void writeData() throws Exception {
        Path source = Files.createDirectories(dir.resolve("idx"));
        int[] labels = new int[20];
        for (int i = 0; i < 20; i++) {
            labels[i] = i % 10;
        }
        labels[18] = 5; // second cycle: Shirt instead of Bag
        IdxFiles.writeSplit(source, FashionMnistSplit.TRAIN, 100, labels);
        data = FashionMnist.load(source, FashionMnistSplit.TRAIN);
    }

    private static List<String> listing(Path folder) throws Exception {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void exportsTargetClassesWithCapAsImageFolder() throws Exception {
        Path out = dir.resolve("out");
        FashionMnistExport.Summary summary = FashionMnistExport.export(data,
                new FashionMnistExport.Options(FashionMnistTask.TARGET, 7, 11, out));
        assertEquals(Map.of("sandal", 7, "sneaker", 7, "bag", 5, "ankle-boot", 7), summary.imagesPerFolder());
        assertEquals(List.of("sandal", "sneaker", "bag", "ankle-boot"),
                List.copyOf(summary.imagesPerFolder().keySet()));
        assertEquals(26, summary.total());
        assertEquals(List.of("ankle-boot", "bag", "sandal", "sneaker"), listing(out));
        assertEquals(7, listing(out.resolve("sandal")).size());
        // Bag has fewer images than the cap: all of them, by index.
        assertEquals(List.of("train-00008.png", "train-00028.png", "train-00048.png", "train-00068.png",
                "train-00088.png"), listing(out.resolve("bag")));
        // Every file holds exactly the image with its index, as 28×28 greyscale.
        for (String name : listing(out.resolve("sneaker"))) {
            int index = Integer.parseInt(name.substring(6, 11));
            assertEquals(FashionMnistClass.SNEAKER, data.label(index));
            BufferedImage png = ImageIO.read(out.resolve("sneaker").resolve(name).toFile());
            assertEquals(28, png.getWidth());
            assertEquals(28, png.getHeight());
            assertEquals(BufferedImage.TYPE_BYTE_GRAY, png.getType());
            byte[] expected = data.image(index);
            for (int p = 0; p < 784; p++) {
                assertEquals(Byte.toUnsignedInt(expected[p]), png.getRaster().getSample(p % 28, p / 28, 0),
                        name + " pixel " + p);
            }
        }
    }

    @Test
    void sourceTaskWithoutCapExportsEveryClothingImage() throws Exception {
        FashionMnistExport.Summary summary = FashionMnistExport.export(data, new FashionMnistExport.Options(
                FashionMnistTask.SOURCE, FashionMnistExport.NO_LIMIT, 1, dir.resolve("out")));
        assertEquals(Map.of("t-shirt-top", 10, "trouser", 10, "pullover", 10, "dress", 10, "coat", 10, "shirt", 15),
                summary.imagesPerFolder());
    }

    @Test
    void selectionIsSeededAndStratified() {
        Map<FashionMnistClass, List<Integer>> a = FashionMnistExport.select(data,
                new FashionMnistExport.Options(FashionMnistTask.ALL, 4, 5, dir));
        Map<FashionMnistClass, List<Integer>> again = FashionMnistExport.select(data,
                new FashionMnistExport.Options(FashionMnistTask.ALL, 4, 5, dir));
        Map<FashionMnistClass, List<Integer>> other = FashionMnistExport.select(data,
                new FashionMnistExport.Options(FashionMnistTask.ALL, 4, 6, dir));
        assertEquals(a, again);
        assertNotEquals(a, other);
        for (Map.Entry<FashionMnistClass, List<Integer>> e : a.entrySet()) {
            assertEquals(4, e.getValue().size(), e.getKey().toString());
            assertTrue(e.getValue().stream().allMatch(i -> data.label(i) == e.getKey()));
            assertEquals(e.getValue().stream().sorted().collect(Collectors.toList()), e.getValue());
        }
        // A larger cap keeps a class's draw independent of the other classes (each class has its own stream).
        Map<FashionMnistClass, List<Integer>> target = FashionMnistExport.select(data,
                new FashionMnistExport.Options(FashionMnistTask.TARGET, 4, 5, dir));
        assertEquals(a.get(FashionMnistClass.SNEAKER), target.get(FashionMnistClass.SNEAKER));
    }

    @Test
    void refusesNonEmptyOutputDirectory() throws Exception {
        Path out = Files.createDirectories(dir.resolve("out"));
        Files.writeString(out.resolve("old.txt"), "x");
        IOException e = assertThrows(IOException.class, () -> FashionMnistExport.export(data,
                new FashionMnistExport.Options(FashionMnistTask.TARGET, 3, 1, out)));
        assertEquals("output directory " + out + " is not empty: choose a new or empty directory so exports are"
                + " not mixed", e.getMessage());
    }

    @Test
    void rejectsInvalidCap() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new FashionMnistExport.Options(FashionMnistTask.TARGET, 0, 1, dir));
        assertEquals("per-class limit 0 is invalid: must be >= 1", e.getMessage());
    }
}
