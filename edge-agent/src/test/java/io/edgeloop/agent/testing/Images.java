package io.edgeloop.agent.testing;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Test images: solid colours encoded as PNG or JPEG. */
public final class Images {

    private Images() {
    }

    public static byte[] solid(Color colour, int width, int height, String format) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        var g = image.createGraphics();
        g.setColor(colour);
        g.fillRect(0, 0, width, height);
        g.dispose();
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
