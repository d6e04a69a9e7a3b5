package io.edgeloop.protocol.preprocess;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.DirectColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.awt.image.SinglePixelPackedSampleModel;

/**
 * Converts any decoded image to {@link BufferedImage#TYPE_INT_RGB} the way PIL's {@code Image.convert("RGB")} does,
 * which is what torchvision-trained models saw: stored sample values are taken as they are (no gamma, no ICC colour
 * management), greyscale is replicated to three channels, palette indices are looked up, and <b>alpha is dropped
 * without compositing</b> (a transparent pixel keeps the colour stored under it; it is not blended onto white or
 * black). Samples wider than 8 bits keep their 8 most significant bits (PIL does the same for 16-bit RGB, but
 * clips 16-bit greyscale to 255 instead, which no model could have been trained on); 1, 2 and 4-bit greyscale is
 * stretched to 0..255 as PIL does.
 *
 * <p>Java2D's own conversions ({@code getRGB}, {@code drawImage}) differ: they linearise greyscale through a gamma
 * curve and composite alpha, so they are not used.
 */
final class RgbConversion {

    private RgbConversion() {
    }

    /** True when the image is {@code TYPE_INT_RGB} with its standard packing, so its ints can be read directly. */
    static boolean isPackedIntRgb(BufferedImage image) {
        return image.getType() == BufferedImage.TYPE_INT_RGB
                && image.getRaster().getDataBuffer() instanceof DataBufferInt
                && image.getRaster().getSampleModel() instanceof SinglePixelPackedSampleModel;
    }

    /** The image itself if it already is packed {@code TYPE_INT_RGB}, otherwise a converted copy. */
    static BufferedImage toIntRgb(BufferedImage image) {
        if (isPackedIntRgb(image)) {
            return image;
        }
        int w = image.getWidth();
        int h = image.getHeight();
        BufferedImage rgb = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] out = ((DataBufferInt) rgb.getRaster().getDataBuffer()).getData();
        Raster raster = image.getRaster();
        ColorModel cm = image.getColorModel();
        if (cm instanceof IndexColorModel icm) {
            fromPalette(raster, icm, out);
        } else if (cm instanceof ComponentColorModel && !cm.isAlphaPremultiplied()
                && (cm.getColorSpace().getType() == ColorSpace.TYPE_RGB
                    || cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY)) {
            fromComponents(raster, cm, out);
        } else if (cm instanceof DirectColorModel dcm && !dcm.isAlphaPremultiplied()
                && dcm.getColorSpace().isCS_sRGB()) {
            fromPacked(raster, dcm, out);
        } else {
            // Unusual layouts (premultiplied alpha, other colour spaces): let Java2D convert, alpha dropped.
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                image.getRGB(0, y, w, 1, row, 0, w);
                for (int x = 0; x < w; x++) {
                    out[y * w + x] = row[x] & 0xFFFFFF;
                }
            }
        }
        return rgb;
    }

    /**
     * Packed pixels (16-bit 565/555 BMPs, 32-bit BMPs with or without alpha), unpacked with the colour masks and
     * widened to 8 bits as PIL's unpackers do: {@code value * 255 / max}, truncated.
     */
    private static void fromPacked(Raster raster, DirectColorModel dcm, int[] out) {
        int w = raster.getWidth();
        int h = raster.getHeight();
        int[] masks = {dcm.getRedMask(), dcm.getGreenMask(), dcm.getBlueMask()};
        int[] shifts = new int[3];
        int[] max = new int[3];
        for (int c = 0; c < 3; c++) {
            shifts[c] = Integer.numberOfTrailingZeros(masks[c]);
            max[c] = masks[c] == 0 ? 1 : masks[c] >>> shifts[c];
        }
        Object row = null;
        for (int y = 0; y < h; y++) {
            row = raster.getDataElements(raster.getMinX(), raster.getMinY() + y, w, 1, row);
            for (int x = 0; x < w; x++) {
                int pixel;
                if (row instanceof int[] ints) {
                    pixel = ints[x];
                } else if (row instanceof short[] shorts) {
                    pixel = shorts[x] & 0xFFFF;
                } else {
                    pixel = ((byte[]) row)[x] & 0xFF;
                }
                int rgb = 0;
                for (int c = 0; c < 3; c++) {
                    int v = (pixel & masks[c]) >>> shifts[c];
                    rgb = (rgb << 8) | (max[c] == 255 ? v : v * 255 / max[c]);
                }
                out[y * w + x] = rgb;
            }
        }
    }

    private static void fromPalette(Raster raster, IndexColorModel icm, int[] out) {
        int size = icm.getMapSize();
        int[] lookup = new int[Math.max(size, 256)];
        for (int i = 0; i < size; i++) {
            lookup[i] = (icm.getRed(i) << 16) | (icm.getGreen(i) << 8) | icm.getBlue(i);
        }
        int w = raster.getWidth();
        int h = raster.getHeight();
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            raster.getSamples(raster.getMinX(), raster.getMinY() + y, w, 1, 0, row);
            for (int x = 0; x < w; x++) {
                int index = row[x];
                out[y * w + x] = index < lookup.length ? lookup[index] : 0;
            }
        }
    }

    private static void fromComponents(Raster raster, ColorModel cm, int[] out) {
        int w = raster.getWidth();
        int h = raster.getHeight();
        boolean grey = cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY;
        int bits = cm.getComponentSize(0);
        if (raster.getDataBuffer() instanceof DataBufferByte bytes
                && raster.getSampleModel() instanceof PixelInterleavedSampleModel sm
                && raster.getSampleModelTranslateX() == 0 && raster.getSampleModelTranslateY() == 0
                && bits == 8 && bytes.getNumBanks() == 1) {
            byte[] data = bytes.getData();
            int[] bandOffsets = sm.getBandOffsets();
            int pixelStride = sm.getPixelStride();
            int scanline = sm.getScanlineStride();
            int base = bytes.getOffset();
            int ro = bandOffsets[0];
            int go = grey ? ro : bandOffsets[1];
            int bo = grey ? ro : bandOffsets[2];
            for (int y = 0, i = 0; y < h; y++) {
                int p = base + y * scanline;
                for (int x = 0; x < w; x++, i++, p += pixelStride) {
                    out[i] = ((data[p + ro] & 0xFF) << 16) | ((data[p + go] & 0xFF) << 8) | (data[p + bo] & 0xFF);
                }
            }
            return;
        }
        // Wider samples keep their top 8 bits; narrower ones (1, 2, 4-bit greyscale) stretch to 0..255 as PIL's
        // "L;1", "L;2", "L;4" unpackers do.
        int shift = Math.max(bits - 8, 0);
        int stretch = bits < 8 ? 255 / ((1 << bits) - 1) : 1;
        int bands = grey ? 1 : 3;
        int[][] samples = new int[bands][w];
        for (int y = 0; y < h; y++) {
            for (int b = 0; b < bands; b++) {
                raster.getSamples(raster.getMinX(), raster.getMinY() + y, w, 1, b, samples[b]);
            }
            for (int x = 0; x < w; x++) {
                int r = (samples[0][x] >> shift) * stretch;
                int g = grey ? r : (samples[1][x] >> shift) * stretch;
                int b = grey ? r : (samples[2][x] >> shift) * stretch;
                out[y * w + x] = (r << 16) | (g << 8) | b;
            }
        }
    }
}
