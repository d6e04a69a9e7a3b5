package io.edgeloop.protocol.preprocess;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Objects;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes JPEG, PNG and BMP into 8-bit RGB images ({@link BufferedImage#TYPE_INT_RGB}), checking the
 * {@link DecodeLimits} before decoding pixels. Thread-safe: holds only immutable configuration.
 */
public final class ImageDecoder {

    private final DecodeLimits limits;

    public ImageDecoder(DecodeLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    public DecodeLimits limits() {
        return limits;
    }

    /** Reads and decodes a file; the file size is checked before it is read. */
    public BufferedImage decode(Path file) throws IOException, ImageRejectedException {
        long size = Files.size(file);
        if (size > limits.maxBytes()) {
            throw new ImageRejectedException(ImageRejectedException.Reason.TOO_LARGE,
                    file + ": " + size + " bytes, allowed at most " + limits.maxBytes());
        }
        return decode(Files.readAllBytes(file), file.toString());
    }

    /**
     * Decodes an encoded image.
     *
     * @param data   the encoded bytes
     * @param source what to call the image in error messages (file name, camera id)
     */
    public BufferedImage decode(byte[] data, String source) throws ImageRejectedException {
        if (data.length == 0) {
            throw new ImageRejectedException(ImageRejectedException.Reason.EMPTY, source + ": empty (0 bytes)");
        }
        if (data.length > limits.maxBytes()) {
            throw new ImageRejectedException(ImageRejectedException.Reason.TOO_LARGE,
                    source + ": " + data.length + " bytes, allowed at most " + limits.maxBytes());
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(data))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new ImageRejectedException(ImageRejectedException.Reason.UNSUPPORTED_FORMAT,
                        source + ": not a JPEG, PNG or BMP image");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels > limits.maxPixels()) {
                    throw new ImageRejectedException(ImageRejectedException.Reason.TOO_MANY_PIXELS,
                            source + ": " + reader.getWidth(0) + "x" + reader.getHeight(0) + " = " + pixels
                                    + " pixels, allowed at most " + limits.maxPixels());
                }
                return toRgb(reader.read(0));
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw new ImageRejectedException(ImageRejectedException.Reason.CORRUPT,
                    source + ": corrupt or truncated image (" + e.getMessage() + ")", e);
        }
    }

    private static BufferedImage toRgb(BufferedImage image) {
        if (image.getType() == BufferedImage.TYPE_INT_RGB) {
            return image;
        }
        BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        var g = rgb.createGraphics();
        try {
            g.drawImage(image, 0, 0, java.awt.Color.WHITE, null);
        } finally {
            g.dispose();
        }
        return rgb;
    }
}
