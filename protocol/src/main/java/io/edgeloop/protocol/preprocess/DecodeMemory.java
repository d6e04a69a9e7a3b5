package io.edgeloop.protocol.preprocess;

/**
 * The heap one decode of an image needs, from its header alone, so that {@link ImageDecoder} can refuse a frame
 * before allocating its pixels. The estimate is the declared pixels times the bytes per pixel of every
 * intermediate that is alive at the same time on the way to a model's input:
 *
 * <ul>
 *   <li><b>raster</b>: what the ImageIO reader decodes into, the declared bits per pixel rounded up to whole bytes
 *       (3 for an RGB JPEG or PNG, 4 for CMYK or RGBA, 8 for 16-bit RGBA; at least 1, at most 8);</li>
 *   <li><b>rgb</b>: the {@code TYPE_INT_RGB} copy (4), except for the images {@link ImageDecoder#decodeReusing}
 *       decodes in place (colour JPEG, RGB PNG, uncompressed 24/32-bit BMP: 0, their raster is the interleaved
 *       RGB image itself, and a 32-bit BMP's 4 bytes are an upper bound of its 3); plus 4 more for the rotated
 *       copy of an EXIF-oriented image;</li>
 *   <li><b>resample</b>: {@link ImagePreprocessor}'s scratch rows, at most 3 bytes per source pixel (the source
 *       rows the vertical pass reads at the crop's width: an upper bound);</li>
 *   <li>the tensor and the crop are per model, not per pixel, and allocated once: not counted here.</li>
 * </ul>
 *
 * <p>Measured against the probe: a 7000×7000 RGB PNG needs 49 M × (3 + 4 + 3) = 490 MB by this estimate;
 * decoding it under {@code -Xmx384m} ran out of memory.
 *
 * @param pixels         declared width × height
 * @param rasterPerPixel bytes per pixel of the decoded raster
 * @param rgbPerPixel    bytes per pixel of the RGB copies (conversion and rotation)
 * @param resamplePerPixel bytes per pixel of the resampler's scratch (upper bound)
 */
record DecodeMemory(long pixels, int rasterPerPixel, int rgbPerPixel, int resamplePerPixel) {

    /** Bytes per source pixel the resampler's scratch can take at most. */
    static final int RESAMPLE_BYTES_PER_PIXEL = 3;

    /**
     * The estimate for an image.
     *
     * @param inPlace whether the image is decoded straight into interleaved RGB bytes (no RGB copy)
     */
    static DecodeMemory of(ImageHeader header, boolean inPlace) {
        int raster = Math.min(8, Math.max(1, (header.bitsPerPixel() + 7) / 8));
        int rgb = (inPlace ? 0 : 4) + (header.orientation() == ExifOrientation.TOP_LEFT ? 0 : 4);
        return new DecodeMemory((long) header.width() * header.height(), raster, rgb, RESAMPLE_BYTES_PER_PIXEL);
    }

    /** Bytes per pixel over all intermediates. */
    int bytesPerPixel() {
        return rasterPerPixel + rgbPerPixel + resamplePerPixel;
    }

    /** The estimated heap use in bytes. */
    long bytes() {
        return pixels * bytesPerPixel();
    }

    /** How the estimate is made up, e.g. {@code raster 3 + rgb 4 + resample 3 bytes per pixel}. */
    String breakdown() {
        return "raster " + rasterPerPixel + " + rgb " + rgbPerPixel + " + resample " + resamplePerPixel
                + " bytes per pixel";
    }
}
