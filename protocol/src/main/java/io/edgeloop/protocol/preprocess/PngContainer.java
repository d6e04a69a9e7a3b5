package io.edgeloop.protocol.preprocess;

/**
 * Walks a PNG's chunks without inflating image data: size from IHDR, EXIF orientation from eXIf, and whether the
 * chunk sequence reaches IEND. A PNG cut short is rejected here rather than trusted to the decoder.
 */
final class PngContainer {

    private static final int IHDR = chunkType("IHDR");
    private static final int IDAT = chunkType("IDAT");
    private static final int IEND = chunkType("IEND");
    private static final int EXIF = chunkType("eXIf");

    private PngContainer() {
    }

    /** Reads the header of a PNG (the data must start with the PNG signature). */
    static ImageHeader read(byte[] data, String source) throws ImageRejectedException {
        int pos = 8;
        int width = -1;
        int height = -1;
        boolean sawData = false;
        ExifOrientation orientation = ExifOrientation.TOP_LEFT;
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
            } else if (type == EXIF && orientation == ExifOrientation.TOP_LEFT) {
                orientation = ExifOrientation.fromTiff(data, payload);
            } else if (type == IEND) {
                if (!sawData) {
                    throw corrupt(source, "no image data (IDAT chunk) before IEND");
                }
                return new ImageHeader(ImageFormat.PNG, width, height, orientation, 0, -1);
            }
            pos = payload + (int) length + 4;
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
