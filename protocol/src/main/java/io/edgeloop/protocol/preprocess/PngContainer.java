package io.edgeloop.protocol.preprocess;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Walks a PNG's chunks without inflating image data: size from IHDR, orientation, and whether the chunk sequence
 * reaches IEND. A PNG cut short is rejected here rather than trusted to the decoder. The orientation is found as
 * PIL 9.4 finds it: the EXIF block of the eXIf chunk, else of an ImageMagick "Raw profile type exif" text chunk
 * (hex, as {@code convert photo.jpg photo.png} keeps it); without an orientation tag there,
 * {@code tiff:Orientation} in an XMP packet (iTXt "XML:com.adobe.xmp"), where Photoshop and Lightroom keep it.
 */
final class PngContainer {

    private static final int IHDR = chunkType("IHDR");
    private static final int IDAT = chunkType("IDAT");
    private static final int IEND = chunkType("IEND");
    private static final int EXIF = chunkType("eXIf");
    private static final int ITXT = chunkType("iTXt");
    private static final int TEXT = chunkType("tEXt");
    private static final int ZTXT = chunkType("zTXt");
    private static final byte[] XMP_KEYWORD = "XML:com.adobe.xmp".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] RAW_EXIF_KEYWORD = "Raw profile type exif".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] EXIF_PREAMBLE = {'E', 'x', 'i', 'f', 0, 0};
    /** Compressed metadata inflating past this is ignored (metadata must not become a memory bomb). */
    private static final int MAX_TEXT_BYTES = 1 << 20;

    private PngContainer() {
    }

    /** Reads the header of a PNG (the data must start with the PNG signature). */
    static ImageHeader read(byte[] data, String source) throws ImageRejectedException {
        int pos = 8;
        int width = -1;
        int height = -1;
        int bitsPerPixel = 0;
        boolean sawData = false;
        boolean sawExifChunk = false;
        Optional<ExifOrientation> exifOrientation = Optional.empty();
        Optional<ExifOrientation> rawProfileOrientation = Optional.empty();
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
                bitsPerPixel = (data[payload + 8] & 0xFF) * channels(data[payload + 9] & 0xFF);
            } else if (type == IDAT) {
                sawData = true;
            } else if (type == EXIF && !sawExifChunk) {
                sawExifChunk = true;
                exifOrientation = ExifOrientation.fromTiff(data, payload);
            } else if ((type == TEXT || type == ZTXT) && rawProfileOrientation.isEmpty()) {
                rawProfileOrientation = text(data, payload, payload + (int) length, RAW_EXIF_KEYWORD, type == ZTXT)
                        .flatMap(PngContainer::rawProfileOrientation);
            } else if (type == ITXT && xmpOrientation.isEmpty()) {
                xmpOrientation = xmpText(data, payload, payload + (int) length).flatMap(ExifOrientation::fromXmp);
            } else if (type == IEND) {
                if (!sawData) {
                    throw corrupt(source, "no image data (IDAT chunk) before IEND");
                }
                // PIL: the eXIf chunk if there is one, else the raw profile; then XMP if no orientation tag
                Optional<ExifOrientation> fromExif = sawExifChunk ? exifOrientation : rawProfileOrientation;
                ExifOrientation orientation = fromExif.isPresent() ? fromExif.get()
                        : xmpOrientation.orElse(ExifOrientation.TOP_LEFT);
                return new ImageHeader(ImageFormat.PNG, width, height, orientation, 0, -1, bitsPerPixel);
            }
            pos = payload + (int) length + 4;
        }
    }

    /** Samples per pixel of a PNG colour type: grey 1, RGB 3, palette 1, grey + alpha 2, RGBA 4 (unknown: 4). */
    private static int channels(int colourType) {
        return switch (colourType) {
            case 0, 3 -> 1;
            case 2 -> 3;
            case 4 -> 2;
            default -> 4;
        };
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
        return compressed ? inflate(data, pos, to).map(b -> new String(b, StandardCharsets.UTF_8))
                : Optional.of(new String(data, pos, to - pos, StandardCharsets.UTF_8));
    }

    /**
     * The Latin-1 text of a tEXt or zTXt chunk ({@code data[from..to]}) whose keyword is {@code keyword}: keyword,
     * NUL, then the text (zTXt: a compression method byte, then zlib data).
     */
    private static Optional<String> text(byte[] data, int from, int to, byte[] keyword, boolean compressed) {
        int pos = from + keyword.length;
        if (pos + (compressed ? 2 : 1) > to || data[pos] != 0) {
            return Optional.empty();
        }
        for (int i = 0; i < keyword.length; i++) {
            if (data[from + i] != keyword[i]) {
                return Optional.empty();
            }
        }
        return compressed ? inflate(data, pos + 2, to).map(b -> new String(b, StandardCharsets.ISO_8859_1))
                : Optional.of(new String(data, pos + 1, to - pos - 1, StandardCharsets.ISO_8859_1));
    }

    /**
     * The orientation in an ImageMagick raw profile: "\nexif\n   length\n" then hex lines, as PIL reads it (the
     * lines after the third, hex-decoded, optionally starting with "Exif\0\0").
     */
    private static Optional<ExifOrientation> rawProfileOrientation(String profile) {
        String[] lines = profile.split("\n", -1);
        if (lines.length < 4) {
            return Optional.empty();
        }
        StringBuilder hex = new StringBuilder();
        for (int i = 3; i < lines.length; i++) {
            hex.append(lines[i].strip());
        }
        if (hex.length() % 2 != 0) {
            return Optional.empty();
        }
        byte[] bytes = new byte[hex.length() / 2];
        for (int i = 0; i < bytes.length; i++) {
            int hi = Character.digit(hex.charAt(2 * i), 16);
            int lo = Character.digit(hex.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) {
                return Optional.empty();
            }
            bytes[i] = (byte) (hi << 4 | lo);
        }
        boolean preamble = bytes.length >= EXIF_PREAMBLE.length
                && java.util.Arrays.equals(bytes, 0, EXIF_PREAMBLE.length, EXIF_PREAMBLE, 0, EXIF_PREAMBLE.length);
        return ExifOrientation.fromTiff(bytes, preamble ? EXIF_PREAMBLE.length : 0);
    }

    /** zlib-inflates {@code data[from..to]}, empty if it is damaged or inflates past {@link #MAX_TEXT_BYTES}. */
    private static Optional<byte[]> inflate(byte[] data, int from, int to) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(data, from, to - from);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    return Optional.empty();
                }
                out.write(buffer, 0, n);
                if (out.size() > MAX_TEXT_BYTES) {
                    return Optional.empty();
                }
            }
            return Optional.of(out.toByteArray());
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
