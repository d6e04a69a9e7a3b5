package io.edgeloop.protocol.preprocess;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Walks a PNG's chunks without inflating image data: size from IHDR, orientation, and whether the chunk sequence
 * reaches IEND. A PNG cut short is rejected here rather than trusted to the decoder. The orientation is found as
 * PIL 9.4 finds it: the eXIf chunk's tag, else {@code tiff:Orientation} in an XMP packet (iTXt
 * "XML:com.adobe.xmp"), which is where Photoshop and Lightroom exports keep it.
 */
final class PngContainer {

    private static final int IHDR = chunkType("IHDR");
    private static final int IDAT = chunkType("IDAT");
    private static final int IEND = chunkType("IEND");
    private static final int EXIF = chunkType("eXIf");
    private static final int ITXT = chunkType("iTXt");
    private static final byte[] XMP_KEYWORD = "XML:com.adobe.xmp".getBytes(StandardCharsets.ISO_8859_1);
    /** A compressed XMP packet inflating past this is ignored (metadata must not become a memory bomb). */
    private static final int MAX_XMP_BYTES = 1 << 20;

    private PngContainer() {
    }

    /** Reads the header of a PNG (the data must start with the PNG signature). */
    static ImageHeader read(byte[] data, String source) throws ImageRejectedException {
        int pos = 8;
        int width = -1;
        int height = -1;
        boolean sawData = false;
        Optional<ExifOrientation> exifOrientation = Optional.empty();
        Optional<ExifOrientation> xmpOrientation = Optional.empty();
        while (true) {
            if (pos + 8 > data.length) {
                throw corrupt(source, "truncated: the file ends at byte " + data.length + " before the IEND chunk");
            }
            long length = readInt(data, pos) & 0xFFFFFFFFL;
            int type = readInt(data, pos + 4);
            int payload = pos + 8;
            if (length > data.length - payload - 4L) {
                throw corrupt(source, "truncated: chunk " + name(type) + " at byte " + pos + " declares " + length
                        + " bytes, only " + Math.max(0, data.length - payload - 4) + " left");
            }
            if (width < 0 && type != IHDR) {
                throw corrupt(source, "first chunk is " + name(type) + ", expected IHDR");
            }
            if (type == IHDR) {
                if (length < 13) {
                    throw corrupt(source, "IHDR chunk is " + length + " bytes, expected 13");
                }
                long w = readInt(data, payload) & 0xFFFFFFFFL;
                long h = readInt(data, payload + 4) & 0xFFFFFFFFL;
                if (w == 0 || h == 0 || w > Integer.MAX_VALUE || h > Integer.MAX_VALUE) {
                    throw corrupt(source, "IHDR declares " + w + "x" + h + " pixels, allowed 1.."
                            + Integer.MAX_VALUE + " per side");
                }
                width = (int) w;
                height = (int) h;
            } else if (type == IDAT) {
                sawData = true;
            } else if (type == EXIF && exifOrientation.isEmpty()) {
                exifOrientation = ExifOrientation.fromTiff(data, payload);
            } else if (type == ITXT && xmpOrientation.isEmpty()) {
                xmpOrientation = xmpText(data, payload, payload + (int) length).flatMap(ExifOrientation::fromXmp);
            } else if (type == IEND) {
                if (!sawData) {
                    throw corrupt(source, "no image data (IDAT chunk) before IEND");
                }
                ExifOrientation orientation = exifOrientation.isPresent() ? exifOrientation.get()
                        : xmpOrientation.orElse(ExifOrientation.TOP_LEFT);
                return new ImageHeader(ImageFormat.PNG, width, height, orientation, 0, -1);
            }
            pos = payload + (int) length + 4;
        }
    }

    /**
     * The text of an iTXt chunk ({@code data[from..to]}) if its keyword is "XML:com.adobe.xmp": keyword, NUL,
     * compression flag and method, language tag, NUL, translated keyword, NUL, then UTF-8 text, zlib-compressed
     * when the flag is 1. Empty for other keywords and for malformed chunks.
     */
    private static Optional<String> xmpText(byte[] data, int from, int to) {
        if (to - from < XMP_KEYWORD.length + 3) {
            return Optional.empty();
        }
        for (int i = 0; i < XMP_KEYWORD.length; i++) {
            if (data[from + i] != XMP_KEYWORD[i]) {
                return Optional.empty();
            }
        }
        int pos = from + XMP_KEYWORD.length;
        if (data[pos] != 0) {
            return Optional.empty();
        }
        boolean compressed = data[pos + 1] == 1;
        pos += 3;
        for (int nul = 0; nul < 2; nul++) { // language tag, translated keyword
            while (pos < to && data[pos] != 0) {
                pos++;
            }
            pos++;
        }
        if (pos > to) {
            return Optional.empty();
        }
        if (!compressed) {
            return Optional.of(new String(data, pos, to - pos, StandardCharsets.UTF_8));
        }
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(data, pos, to - pos);
            ByteArrayOutputStream text = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    return Optional.empty();
                }
                text.write(buffer, 0, n);
                if (text.size() > MAX_XMP_BYTES) {
                    return Optional.empty();
                }
            }
            return Optional.of(text.toString(StandardCharsets.UTF_8));
        } catch (DataFormatException e) {
            return Optional.empty();
        } finally {
            inflater.end();
        }
    }

    private static int readInt(byte[] data, int pos) {
        return ((data[pos] & 0xFF) << 24) | ((data[pos + 1] & 0xFF) << 16) | ((data[pos + 2] & 0xFF) << 8)
                | (data[pos + 3] & 0xFF);
    }

    private static int chunkType(String name) {
        return (name.charAt(0) << 24) | (name.charAt(1) << 16) | (name.charAt(2) << 8) | name.charAt(3);
    }

    private static String name(int type) {
        StringBuilder s = new StringBuilder(4);
        for (int shift = 24; shift >= 0; shift -= 8) {
            int c = (type >>> shift) & 0xFF;
            s.append(c >= 0x20 && c < 0x7F ? (char) c : '?');
        }
        return "'" + s + "'";
    }

    private static ImageRejectedException corrupt(String source, String what) {
        return new ImageRejectedException(ImageRejectedException.Reason.CORRUPT, source + ": corrupt PNG: " + what);
    }
}
