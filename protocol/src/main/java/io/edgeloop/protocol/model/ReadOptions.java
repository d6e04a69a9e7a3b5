package io.edgeloop.protocol.model;

/**
 * Limits applied before a model file is read.
 *
 * @param maxBytes largest accepted file size in bytes, checked before reading; 1 byte to 2 GiB - 1 (the protobuf
 *                 limit of a single ONNX file)
 */
public record ReadOptions(long maxBytes) {

    /** Default size limit: 512 MiB, above any CNN classifier meant for a device. */
    public static final long DEFAULT_MAX_BYTES = 512L * 1024 * 1024;

    /** Largest possible limit: a single protobuf message cannot exceed 2 GiB. */
    public static final long MAX_MAX_BYTES = Integer.MAX_VALUE;

    /** Default options: a 512 MiB size limit. */
    public static final ReadOptions DEFAULT = new ReadOptions(DEFAULT_MAX_BYTES);

    public ReadOptions {
        if (maxBytes < 1 || maxBytes > MAX_MAX_BYTES) {
            throw new IllegalArgumentException("maxBytes is " + maxBytes + ", allowed 1.." + MAX_MAX_BYTES);
        }
    }

    /** These options with another size limit. */
    public ReadOptions withMaxBytes(long newMaxBytes) {
        return new ReadOptions(newMaxBytes);
    }
}
