package io.edgeloop.protocol.preprocess;

import java.util.Arrays;

/**
 * Walks a JPEG's marker segments up to the first scan without decoding anything: frame size and components (SOF),
 * EXIF orientation (APP1), Adobe colour transform (APP14), embedded ICC profile segments (APP2), and whether the
 * file ends with its EOI marker. A JPEG cut short still decodes in Java ImageIO, silently filled with grey, so a
 * missing EOI after the scan data is treated as truncation.
 */
final class JpegContainer {

    private static final int SOI = 0xD8;
    private static final int EOI = 0xD9;
    private static final int SOS = 0xDA;
    private static final int APP1 = 0xE1;
    private static final int APP2 = 0xE2;
    private static final int APP14 = 0xEE;
    private static final byte[] EXIF = {'E', 'x', 'i', 'f', 0, 0};
    private static final byte[] ICC = {'I', 'C', 'C', '_', 'P', 'R', 'O', 'F', 'I', 'L', 'E', 0};
    private static final byte[] ADOBE = {'A', 'd', 'o', 'b', 'e'};

    private JpegContainer() {
    }

    /**
     * Reads the header of a JPEG (the data must start with SOI).
     *
     * @throws ImageRejectedException CORRUPT for truncated or malformed structure; UNSUPPORTED_FORMAT for
     *                                arithmetic-coded, hierarchical or non-8-bit JPEGs, which Java cannot decode
     */
    static ImageHeader read(byte[] data, String source) throws ImageRejectedException {
        int pos = 2;
        int width = -1;
        int height = -1;
        int components = 0;
        int adobeTransform = -1;
        ExifOrientation orientation = null;
        while (true) {
            if (pos >= data.length) {
                throw corrupt(source, "truncated: the file ends at byte " + data.length + " before any image scan");
            }
            if ((data[pos] & 0xFF) != 0xFF) {
                throw corrupt(source, String.format("expected a JPEG marker at byte %d, found 0x%02x", pos,
                        data[pos] & 0xFF));
            }
            while (pos < data.length && (data[pos] & 0xFF) == 0xFF) {
                pos++; // fill bytes
            }
            if (pos >= data.length) {
                throw corrupt(source, "truncated: the file ends at byte " + data.length + " inside a marker");
            }
            int marker = data[pos] & 0xFF;
            pos++;
            if (marker == SOI || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                continue; // stand-alone markers without a length
            }
            if (marker == EOI) {
                throw corrupt(source, "the file ends (EOI at byte " + (pos - 2) + ") before any image scan");
            }
            if (pos + 2 > data.length) {
                throw corrupt(source, String.format("truncated: marker 0x%02x at byte %d has no length", marker,
                        pos - 2));
            }
            int length = ((data[pos] & 0xFF) << 8) | (data[pos + 1] & 0xFF);
            int payload = pos + 2;
            int end = pos + length;
            if (length < 2 || end > data.length) {
                throw corrupt(source, String.format("truncated: segment 0x%02x at byte %d declares %d bytes, only "
                        + "%d left", marker, pos - 2, length, data.length - pos));
            }
            if (isFrameMarker(marker)) {
                if (length < 8) {
                    throw corrupt(source, String.format("frame header (SOF 0x%02x) is %d bytes, needs at least 8",
                            marker, length));
                }
                checkSupported(marker, data[payload] & 0xFF, source);
                height = ((data[payload + 1] & 0xFF) << 8) | (data[payload + 2] & 0xFF);
                width = ((data[payload + 3] & 0xFF) << 8) | (data[payload + 4] & 0xFF);
                components = data[payload + 5] & 0xFF;
                if (width == 0 || height == 0) {
                    throw corrupt(source, "frame header declares " + width + "x" + height
                            + " pixels, allowed at least 1x1");
                }
                if (components != 1 && components != 3 && components != 4) {
                    throw new ImageRejectedException(ImageRejectedException.Reason.UNSUPPORTED_FORMAT, source
                            + ": JPEG with " + components + " colour components, allowed 1 (grey), 3 (colour) "
                            + "or 4 (CMYK)");
                }
            } else if (marker == APP1 && orientation == null && regionStartsWith(data, payload, end, EXIF)) {
                // PIL reads only the first Exif segment; without an orientation tag it means upright
                orientation = ExifOrientation.fromTiff(data, payload + EXIF.length).orElse(ExifOrientation.TOP_LEFT);
            } else if (marker == APP14 && regionStartsWith(data, payload, end, ADOBE) && length >= 14) {
                adobeTransform = data[payload + 11] & 0xFF;
            } else if (marker == SOS) {
                if (width < 0) {
                    throw corrupt(source, "image scan at byte " + (pos - 2) + " before any frame header (SOF)");
                }
                if (!hasEoiAfter(data, end)) {
                    throw corrupt(source, "truncated: no end-of-image marker (EOI) after the image data ("
                            + data.length + " bytes)");
                }
                return new ImageHeader(ImageFormat.JPEG, width, height,
                        orientation == null ? ExifOrientation.TOP_LEFT : orientation, components, adobeTransform,
                        8 * components);
            }
            pos = end;
        }
    }

    /**
     * The JPEG without its embedded ICC profile segments, or {@code data} itself if it has none. Decoding then
     * yields the stored colour values as PIL does, instead of ImageIO converting them from the profile to sRGB.
     */
    static byte[] withoutIccProfile(byte[] data) {
        int pos = 2;
        int[] cut = new int[8];
        int cuts = 0;
        while (pos + 4 <= data.length && (data[pos] & 0xFF) == 0xFF) {
            int marker = data[pos + 1] & 0xFF;
            if (marker == SOS || marker == EOI || marker == 0xFF) {
                break;
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8)) {
                pos += 2;
                continue;
            }
            int end = pos + 2 + (((data[pos + 2] & 0xFF) << 8) | (data[pos + 3] & 0xFF));
            if (end > data.length) {
                break;
            }
            if (marker == APP2 && regionStartsWith(data, pos + 4, end, ICC)) {
                if (cuts == cut.length) {
                    cut = Arrays.copyOf(cut, cuts * 2);
                }
                cut[cuts++] = pos;
                cut[cuts++] = end;
            }
            pos = end;
        }
        if (cuts == 0) {
            return data;
        }
        int removed = 0;
        for (int i = 0; i < cuts; i += 2) {
            removed += cut[i + 1] - cut[i];
        }
        byte[] out = new byte[data.length - removed];
        int from = 0;
        int to = 0;
        for (int i = 0; i < cuts; i += 2) {
            System.arraycopy(data, from, out, to, cut[i] - from);
            to += cut[i] - from;
            from = cut[i + 1];
        }
        System.arraycopy(data, from, out, to, data.length - from);
        return out;
    }

    private static boolean isFrameMarker(int marker) {
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }

    private static void checkSupported(int marker, int precision, String source) throws ImageRejectedException {
        String kind = null;
        if (marker >= 0xC9) {
            kind = "arithmetic-coded";
        }
        if (marker == 0xC5 || marker == 0xC6 || marker == 0xC7 || marker == 0xCD || marker == 0xCE
                || marker == 0xCF) {
            kind = "hierarchical";
        }
        if (kind == null && marker != 0xC3 && precision != 8) {
            kind = precision + "-bit";
        }
        if (kind != null) {
            throw new ImageRejectedException(ImageRejectedException.Reason.UNSUPPORTED_FORMAT, String.format(
                    "%s: %s JPEG (SOF 0x%02x), allowed baseline, extended, progressive or lossless JPEG with "
                            + "8-bit samples", source, kind, marker));
        }
    }

    /**
     * True if an EOI marker follows the scan data. Entropy-coded data escapes every 0xFF (0xFF00) and only
     * restart markers may appear in it, so 0xFFD9 after the first scan is the real end of the image; bytes some
     * cameras append after EOI are allowed.
     */
    private static boolean hasEoiAfter(byte[] data, int from) {
        for (int i = data.length - 2; i >= from; i--) {
            if ((data[i] & 0xFF) == 0xFF && (data[i + 1] & 0xFF) == EOI) {
                return true;
            }
        }
        return false;
    }

    private static boolean regionStartsWith(byte[] data, int from, int end, byte[] prefix) {
        if (end - from < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (data[from + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static ImageRejectedException corrupt(String source, String what) {
        return new ImageRejectedException(ImageRejectedException.Reason.CORRUPT, source + ": corrupt JPEG: " + what);
    }
}
