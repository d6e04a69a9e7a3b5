package io.edgeloop.protocol.preprocess;

import com.drew.lang.ByteArrayReader;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifDirectoryBase;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.drew.metadata.exif.ExifReader;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The EXIF orientation tag (0x0112) of a photo: how the stored pixels must be flipped or rotated to show the scene
 * upright. Cameras and phones store sensor rows as they come and only set this tag, so ignoring it feeds the model
 * sideways images. Applied as PIL's {@code ImageOps.exif_transpose} does; missing or invalid values mean
 * {@link #TOP_LEFT} (nothing to do).
 */
public enum ExifOrientation {
    /** 1: stored upright. */
    TOP_LEFT(1),
    /** 2: mirrored left to right. */
    TOP_RIGHT(2),
    /** 3: upside down (rotated 180°). */
    BOTTOM_RIGHT(3),
    /** 4: mirrored top to bottom. */
    BOTTOM_LEFT(4),
    /** 5: transposed (mirrored along the main diagonal). */
    LEFT_TOP(5),
    /** 6: stored rotated 90° counter-clockwise; shown rotated 90° clockwise. */
    RIGHT_TOP(6),
    /** 7: transversed (mirrored along the anti-diagonal). */
    RIGHT_BOTTOM(7),
    /** 8: stored rotated 90° clockwise; shown rotated 90° counter-clockwise. */
    LEFT_BOTTOM(8);

    /** What PIL 9.4's {@code Image.getexif()} searches XMP for when EXIF has no orientation. */
    private static final Pattern XMP_ORIENTATION = Pattern.compile("tiff:Orientation(=\"|>)([0-9])");

    private final int tagValue;

    ExifOrientation(int tagValue) {
        this.tagValue = tagValue;
    }

    /** The EXIF tag value, 1 to 8. */
    public int tagValue() {
        return tagValue;
    }

    /** True for 5 to 8, where width and height swap. */
    public boolean swapsSides() {
        return tagValue >= 5;
    }

    /** The orientation for a tag value; anything outside 1..8 is {@link #TOP_LEFT}, as PIL treats it. */
    public static ExifOrientation ofTagValue(int value) {
        return value >= 1 && value <= 8 ? values()[value - 1] : TOP_LEFT;
    }

    /**
     * Reads the orientation tag from a TIFF-structured EXIF block ({@code data[offset..]}, starting with "II" or
     * "MM"): the payload of a JPEG APP1 segment after "Exif\0\0", or a PNG eXIf chunk. Empty if the block has no
     * orientation tag, or is too damaged to read: its metadata is not worth rejecting a decodable image for.
     */
    static Optional<ExifOrientation> fromTiff(byte[] data, int offset) {
        Metadata metadata = new Metadata();
        try {
            new ExifReader().extract(new ByteArrayReader(data, offset), metadata);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        ExifIFD0Directory ifd0 = metadata.getFirstDirectoryOfType(ExifIFD0Directory.class);
        Integer value = ifd0 == null ? null : ifd0.getInteger(ExifDirectoryBase.TAG_ORIENTATION);
        return value == null ? Optional.empty() : Optional.of(ofTagValue(value));
    }

    /** The {@code tiff:Orientation} of an XMP packet, found the way PIL finds it; empty if there is none. */
    static Optional<ExifOrientation> fromXmp(CharSequence xmp) {
        Matcher m = XMP_ORIENTATION.matcher(xmp);
        return m.find() ? Optional.of(ofTagValue(m.group(2).charAt(0) - '0')) : Optional.empty();
    }

    /**
     * Returns the upright image: {@code image} itself for {@link #TOP_LEFT}, otherwise a new {@code TYPE_INT_RGB}
     * image (sides swapped for 5..8).
     *
     * @param image a {@code TYPE_INT_RGB} image
     */
    public BufferedImage apply(BufferedImage image) {
        if (this == TOP_LEFT) {
            return image;
        }
        BufferedImage in = RgbConversion.toIntRgb(image);
        int w = in.getWidth();
        int h = in.getHeight();
        int[] src = new int[w * h];
        in.getRaster().getDataElements(0, 0, w, h, src);
        int outW = swapsSides() ? h : w;
        int outH = swapsSides() ? w : h;
        BufferedImage out = new BufferedImage(outW, outH, BufferedImage.TYPE_INT_RGB);
        int[] dst = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
        for (int y = 0, i = 0; y < outH; y++) {
            for (int x = 0; x < outW; x++, i++) {
                // (sx, sy): the stored pixel shown at (x, y)
                int sx;
                int sy;
                switch (this) {
                    case TOP_RIGHT -> { sx = w - 1 - x; sy = y; }
                    case BOTTOM_RIGHT -> { sx = w - 1 - x; sy = h - 1 - y; }
                    case BOTTOM_LEFT -> { sx = x; sy = h - 1 - y; }
                    case LEFT_TOP -> { sx = y; sy = x; }
                    case RIGHT_TOP -> { sx = y; sy = h - 1 - x; }
                    case RIGHT_BOTTOM -> { sx = w - 1 - y; sy = h - 1 - x; }
                    case LEFT_BOTTOM -> { sx = w - 1 - y; sy = x; }
                    default -> throw new IllegalStateException("unreachable: " + this);
                }
                dst[i] = src[sy * w + sx];
            }
        }
        return out;
    }
}
