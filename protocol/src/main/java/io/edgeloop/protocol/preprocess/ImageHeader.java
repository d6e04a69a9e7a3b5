package io.edgeloop.protocol.preprocess;

/**
 * What an encoded image declares about itself, read from its container before any pixel is decoded: enough to
 * refuse decompression bombs and to know how to decode and orient it.
 *
 * @param format         the container format
 * @param width          declared width in pixels, as stored (before orientation)
 * @param height         declared height in pixels, as stored
 * @param orientation    EXIF orientation ({@link ExifOrientation#TOP_LEFT} when there is none)
 * @param components     JPEG: colour components in the frame (1 grey, 3 YCbCr/RGB, 4 CMYK/YCCK); others: 0
 * @param adobeTransform JPEG: the Adobe APP14 colour transform (0 none, 1 YCbCr, 2 YCCK), or -1 without APP14
 * @param bitsPerPixel   bits a stored pixel declares (JPEG 8 per component, PNG bit depth × channels, BMP as
 *                       declared): what the decoded raster costs, see {@link DecodeMemory}
 */
record ImageHeader(ImageFormat format, int width, int height, ExifOrientation orientation, int components,
                   int adobeTransform, int bitsPerPixel) {
}
