package io.edgeloop.protocol.preprocess;

/**
 * What an image must stay within before it is decoded: guards against huge files and decompression bombs.
 *
 * @param maxBytes  largest accepted encoded size in bytes
 * @param maxPixels largest accepted declared width × height, checked before any pixel is decoded
 */
public record DecodeLimits(long maxBytes, long maxPixels) {

    /** 64 MiB and 50 megapixels: far above any camera frame, far below what exhausts a device's memory. */
    public static final DecodeLimits DEFAULT = new DecodeLimits(64L << 20, 50_000_000L);

    public DecodeLimits {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes is " + maxBytes + ", allowed >= 1");
        }
        if (maxPixels < 1) {
            throw new IllegalArgumentException("maxPixels is " + maxPixels + ", allowed >= 1");
        }
    }
}
