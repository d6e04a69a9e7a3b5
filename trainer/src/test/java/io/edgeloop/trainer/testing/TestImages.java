package io.edgeloop.trainer.testing;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Writes small synthetic ImageFolder datasets whose classes differ in colour and stripe direction (learnable by a
 * tiny network in a few epochs), plus noise so no two images are equal. Deterministic from the seed.
 */
public final class TestImages {

    private TestImages() {
    }

    /** Writes {@code perClass[c]} PNG images of {@code size × size} into {@code root/<label c>/}. */
    public static void writeDataset(Path root, String[] labels, int[] perClass, int size, long seed)
            throws IOException {
        Random random = new Random(seed);
        for (int c = 0; c < labels.length; c++) {
            Path dir = Files.createDirectories(root.resolve(labels[c]));
            for (int i = 0; i < perClass[c]; i++) {
                BufferedImage image = image(c, size, size, random);
                ImageIO.write(image, i % 3 == 0 ? "jpg" : "png",
                        dir.resolve(String.format("img%03d.%s", i, i % 3 == 0 ? "jpg" : "png")).toFile());
            }
        }
    }

    /** One image of class {@code c} (0: red horizontal stripes, 1: blue vertical stripes, 2: green checks…). */
    public static BufferedImage image(int c, int width, int height, Random random) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int phase = random.nextInt(8);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                boolean on = switch (c % 3) {
                    case 0 -> ((y + phase) / 4) % 2 == 0;
                    case 1 -> ((x + phase) / 4) % 2 == 0;
                    default -> (((x + phase) / 4) + ((y + phase) / 4)) % 2 == 0;
                };
                int base = on ? 200 : 60;
                int noise = random.nextInt(41) - 20;
                int v = Math.max(0, Math.min(255, base + noise));
                int r = c % 3 == 0 ? v : v / 3;
                int g = c % 3 == 2 ? v : v / 3;
                int b = c % 3 == 1 ? v : v / 3;
                if (c >= 3) { // further classes: inverted colours of the first three
                    r = 255 - r;
                    g = 255 - g;
                    b = 255 - b;
                }
                image.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return image;
    }
}
