package io.edgeloop.protocol.preprocess;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;

/**
 * Images whose pixels are three interleaved 8-bit sRGB samples in one byte array: {@code TYPE_3BYTE_BGR} (B, G, R
 * in memory) and the R, G, B layout {@link ImageDecoder#decodeReusing} decodes camera frames into (the JDK's JPEG
 * reader fills it with a plain row copy, a third faster than into {@code TYPE_3BYTE_BGR}, which it fills pixel by
 * pixel). Readers of such images take the bytes in place.
 */
final class InterleavedRgb {

    /** How the samples of a pixel are laid out in memory. */
    enum Order {
        RGB,
        BGR
    }

    private static final ColorModel SRGB_BYTES = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB),
            false, false, Transparency.OPAQUE, DataBuffer.TYPE_BYTE);

    private InterleavedRgb() {
    }

    /** A new {@code width × height} image with R, G, B bytes interleaved in one array, rows without padding. */
    static BufferedImage create(int width, int height) {
        return new BufferedImage(SRGB_BYTES, Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, width, height,
                width * 3, 3, new int[] {0, 1, 2}, null), false, null);
    }

    /** The memory order of an interleaved 3-byte sRGB image, or null if the image is laid out otherwise. */
    static Order orderOf(BufferedImage image) {
        ColorModel cm = image.getColorModel();
        if (!(cm instanceof ComponentColorModel) || cm.hasAlpha() || !cm.getColorSpace().isCS_sRGB()
                || cm.getNumComponents() != 3 || cm.getComponentSize(0) != 8
                || !(image.getRaster().getSampleModel() instanceof PixelInterleavedSampleModel sm)
                || !(image.getRaster().getDataBuffer() instanceof DataBufferByte buffer)
                || buffer.getNumBanks() != 1 || sm.getPixelStride() != 3) {
            return null;
        }
        int[] bands = sm.getBandOffsets();
        if (bands[0] == 0 && bands[1] == 1 && bands[2] == 2) {
            return Order.RGB;
        }
        return bands[0] == 2 && bands[1] == 1 && bands[2] == 0 ? Order.BGR : null;
    }

    /** Whether {@code image} is a {@link #create}d layout of exactly this size, so a frame can be decoded into it. */
    static boolean fits(BufferedImage image, int width, int height) {
        return image != null && image.getWidth() == width && image.getHeight() == height
                && orderOf(image) == Order.RGB && image.getRaster().getMinX() == 0
                && ((PixelInterleavedSampleModel) image.getRaster().getSampleModel()).getScanlineStride() == width * 3
                && image.getRaster().getSampleModelTranslateX() == 0
                && image.getRaster().getSampleModelTranslateY() == 0;
    }
}
