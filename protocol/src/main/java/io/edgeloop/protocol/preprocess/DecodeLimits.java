package io.edgeloop.protocol.preprocess;

import java.util.Objects;

/**
 * What an image must stay within before it is decoded: guards against huge files, decompression bombs and frames
 * whose pixels alone would exhaust the heap.
 *
 * @param maxBytes        largest accepted encoded size in bytes
 * @param maxPixels       largest accepted declared width × height, checked before any pixel is decoded
 * @param maxDecodeMemory largest accepted heap use of one decode, in bytes: the declared pixels times the bytes per
 *                        pixel of every intermediate (see {@link DecodeMemory}), checked before any pixel is
 *                        decoded
 * @param memorySource    where {@code maxDecodeMemory} comes from, for the rejection message (the config key that
 *                        sets it, or how the default was derived)
 */
public record DecodeLimits(long maxBytes, long maxPixels, long maxDecodeMemory, String memorySource) {

    /** Share of the JVM's maximum heap that one decode may use by default. */
    public static final int DEFAULT_HEAP_DIVISOR = 4;

    /**
     * 64 MiB, 50 megapixels and a quarter of this JVM's maximum heap ({@code -Xmx}) per decode: far above any
     * camera frame, far below what exhausts a device's memory.
     */
    public static final DecodeLimits DEFAULT = new DecodeLimits(64L << 20, 50_000_000L);

    public DecodeLimits {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes is " + maxBytes + ", allowed >= 1");
        }
        if (maxPixels < 1) {
            throw new IllegalArgumentException("maxPixels is " + maxPixels + ", allowed >= 1");
        }
        if (maxDecodeMemory < 1) {
            throw new IllegalArgumentException("maxDecodeMemory is " + maxDecodeMemory + ", allowed >= 1");
        }
        Objects.requireNonNull(memorySource, "memorySource");
    }

    /** Byte and pixel limits with the default decode memory budget (a quarter of the maximum heap). */
    public DecodeLimits(long maxBytes, long maxPixels) {
        this(maxBytes, maxPixels, heapShare(), heapShareSource());
    }

    /** These limits with another decode memory budget, set by {@code source} (e.g. a config key). */
    public DecodeLimits withMaxDecodeMemory(long bytes, String source) {
        return new DecodeLimits(maxBytes, maxPixels, bytes, source);
    }

    /** The default decode memory budget of this JVM: its maximum heap divided by {@link #DEFAULT_HEAP_DIVISOR}. */
    public static long heapShare() {
        return Math.max(1, Runtime.getRuntime().maxMemory() / DEFAULT_HEAP_DIVISOR);
    }

    private static String heapShareSource() {
        return "1/" + DEFAULT_HEAP_DIVISOR + " of the " + (Runtime.getRuntime().maxMemory() >> 20)
                + " MiB maximum heap";
    }
}
