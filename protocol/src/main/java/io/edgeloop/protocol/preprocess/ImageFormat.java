package io.edgeloop.protocol.preprocess;

import java.nio.charset.StandardCharsets;

/**
 * The encoded formats {@link ImageDecoder} accepts, recognised by their signature bytes rather than by a file name
 * or by whichever Java ImageIO plugin claims the data (ImageIO also reads GIF, TIFF and WBMP, which are not
 * accepted).
 */
public enum ImageFormat {
    /** JPEG/JFIF/EXIF: starts with FF D8 FF. */
    JPEG("jpeg"),
    /** PNG: starts with the 8-byte PNG signature. */
    PNG("png"),
    /** Windows bitmap: starts with "BM". */
    BMP("bmp");

    /** Shown in rejections: what is allowed. */
    static final String ALLOWED = "allowed JPEG, PNG, BMP";

    private final String imageIoName;

    ImageFormat(String imageIoName) {
        this.imageIoName = imageIoName;
    }

    /** The ImageIO format name of its readers. */
    String imageIoName() {
        return imageIoName;
    }

    /**
     * Recognises the format from the first bytes.
     *
     * @throws ImageRejectedException {@link ImageRejectedException.Reason#UNSUPPORTED_FORMAT}, naming the format
     *                                when it is a known image format, or describing the first bytes otherwise
     */
    static ImageFormat sniff(byte[] data, String source) throws ImageRejectedException {
        if (startsWith(data, 0xFF, 0xD8, 0xFF)) {
            return JPEG;
        }
        if (startsWith(data, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return PNG;
        }
        if (startsWith(data, 'B', 'M')) {
            return BMP;
        }
        throw new ImageRejectedException(ImageRejectedException.Reason.UNSUPPORTED_FORMAT,
                source + ": " + describe(data) + ", " + ALLOWED);
    }

    private static String describe(byte[] data) {
        if (startsWith(data, 'G', 'I', 'F', '8')) {
            return "GIF image";
        }
        if (startsWith(data, 'I', 'I', 0x2A, 0x00) || startsWith(data, 'M', 'M', 0x00, 0x2A)) {
            return "TIFF image";
        }
        if (startsWith(data, 'R', 'I', 'F', 'F') && data.length >= 12 && data[8] == 'W' && data[9] == 'E'
                && data[10] == 'B' && data[11] == 'P') {
            return "WebP image";
        }
        if (data.length >= 12 && data[4] == 'f' && data[5] == 't' && data[6] == 'y' && data[7] == 'p') {
            return "HEIF/AVIF image (ftyp " + new String(data, 8, 4, StandardCharsets.ISO_8859_1) + ")";
        }
        if (startsWith(data, 0xFF, 0xD8)) {
            return "damaged JPEG (no marker after SOI)";
        }
        int n = Math.min(data.length, 8);
        StringBuilder hex = new StringBuilder();
        boolean text = true;
        for (int i = 0; i < n; i++) {
            int b = data[i] & 0xFF;
            hex.append(i == 0 ? "" : " ").append(String.format("%02x", b));
            text &= (b >= 0x20 && b < 0x7F) || b == '\n' || b == '\r' || b == '\t';
        }
        return "not an image (" + (text ? "looks like text, " : "") + "starts with bytes " + hex + ")";
    }

    private static boolean startsWith(byte[] data, int... prefix) {
        if (data.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((data[i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
