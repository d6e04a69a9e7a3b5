package io.edgeloop.trainer.testing;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Noisy flat-colour images of three classes (red, green, blue), learnable in a few epochs by a tiny CNN: the
 * datasets of the registry, gate and retrain tests.
 */
public final class ColourImages {

    /** The class names, in label order. */
    public static final String[] NAMES = {"red", "green", "blue"};
    /** Each class's colour. */
    public static final Color[] COLOURS = {new Color(200, 40, 40), new Color(40, 180, 60), new Color(50, 70, 210)};

    private ColourImages() {
    }

    /** {@code root/<class>/<class><i>.png}, {@code perClass} images per class. */
    public static void write(Path root, int perClass, long seed) throws IOException {
        Random random = new Random(seed);
        for (int c = 0; c < NAMES.length; c++) {
            Path folder = Files.createDirectories(root.resolve(NAMES[c]));
            for (int i = 0; i < perClass; i++) {
                ImageIO.write(image(COLOURS[c], random), "png", folder.resolve(NAMES[c] + i + ".png").toFile());
            }
        }
    }

    /** A 40×40 image of {@code colour} with Gaussian noise (σ 25) on every pixel. */
    public static BufferedImage image(Color colour, Random random) {
        BufferedImage image = new BufferedImage(40, 40, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 40; y++) {
            for (int x = 0; x < 40; x++) {
                int n = (int) (random.nextGaussian() * 25);
                image.setRGB(x, y, new Color(clamp(colour.getRed() + n), clamp(colour.getGreen() + n),
                        clamp(colour.getBlue() + n)).getRGB());
            }
        }
        return image;
    }

    /** Copies a folder tree (a registry, a run folder). */
    public static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
