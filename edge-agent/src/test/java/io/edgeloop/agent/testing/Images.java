package io.edgeloop.agent.testing;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Test images: solid colours (encoded as PNG or JPEG) and two-colour scenes. */
public final class Images {

    private Images() {
    }

    /** An RGB image whose left half is {@code left} and right half {@code right}. */
    public static BufferedImage halves(int width, int height, Color left, Color right) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        var g = image.createGraphics();
        g.setColor(left);
        g.fillRect(0, 0, width / 2, height);
        g.setColor(right);
        g.fillRect(width / 2, 0, width - width / 2, height);
        g.dispose();
        return image;
    }

    public static byte[] solid(Color colour, int width, int height, String format) throws IOException {
        BufferedImage image = halves(width, height, colour, colour);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(image, format, out)) {
            throw new IOException("no writer for " + format);
        }
        return out.toByteArray();
    }

    public static Path write(Path file, Color colour, String format) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, solid(colour, 64, 48, format));
        return file;
    }
}
