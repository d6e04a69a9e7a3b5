package io.edgeloop.protocol.preprocess;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.awt.image.Raster;

/**
 * Turns the raw four-channel samples of a CMYK or YCCK JPEG into RGB exactly as PIL does: libjpeg's YCCK to CMYK
 * conversion (integer tables of {@code jdcolor.c}), Adobe's inverted CMYK convention, then PIL's
 * {@code cmyk2rgb}: {@code R = (255 - C) (255 - K) / 255} in PIL's integer arithmetic. No ICC colour management,
 * as in PIL (Java ImageIO would otherwise apply an embedded or a generic CMYK profile and give other colours).
 */
final class CmykConversion {

    private static final int SCALEBITS = 16;
    private static final int ONE_HALF = 1 << (SCALEBITS - 1);
    private static final int[] CR_R = new int[256];
    private static final int[] CB_B = new int[256];
    private static final int[] CR_G = new int[256];
    private static final int[] CB_G = new int[256];

    static {
        // libjpeg jdcolor.c build_ycc_rgb_table; constants only, never modified.
        for (int i = 0; i < 256; i++) {
            int x = i - 128;
            CR_R[i] = (fix(1.40200) * x + ONE_HALF) >> SCALEBITS;
            CB_B[i] = (fix(1.77200) * x + ONE_HALF) >> SCALEBITS;
            CR_G[i] = -fix(0.71414) * x;
            CB_G[i] = -fix(0.34414) * x + ONE_HALF;
        }
    }

    private CmykConversion() {
    }

    private static int fix(double x) {
        return (int) (x * (1 << SCALEBITS) + 0.5);
    }

    /**
     * Converts a JPEG's raw four-band raster.
     *
     * @param raw  samples as stored: Adobe-inverted CMYK, or YCCK when {@code ycck}
     * @param ycck true when the Adobe APP14 transform is 2
     */
    static BufferedImage toRgb(Raster raw, boolean ycck) {
        int w = raw.getWidth();
        int h = raw.getHeight();
        BufferedImage rgb = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] out = ((DataBufferInt) rgb.getRaster().getDataBuffer()).getData();
        int[] row = new int[w * 4];
        for (int y = 0; y < h; y++) {
            raw.getPixels(raw.getMinX(), raw.getMinY() + y, w, 1, row);
            for (int x = 0, p = 0; x < w; x++, p += 4) {
                int s0 = row[p];
                int s1 = row[p + 1];
                int s2 = row[p + 2];
                if (ycck) {
                    // libjpeg's YCCK -> CMYK yields the inverted-convention samples 255 - RGB(YCC); K is kept.
                    int luma = s0;
                    int cb = s1;
                    int cr = s2;
                    s0 = 255 - clamp(luma + CR_R[cr]);
                    s1 = 255 - clamp(luma + ((CB_G[cb] + CR_G[cr]) >> SCALEBITS));
                    s2 = 255 - clamp(luma + CB_B[cb]);
                }
                // Inverted CMYK: stored s = 255 - ink, so 255 - K = s3 and 255 - C = s0.
                int nk = row[p + 3];
                out[y * w + x] = (rgbOf(s0, nk) << 16) | (rgbOf(s1, nk) << 8) | rgbOf(s2, nk);
            }
        }
        return rgb;
    }

    /** PIL's cmyk2rgb for one channel, with {@code c = 255 - inverted} and {@code nk = 255 - K}. */
    private static int rgbOf(int inverted, int nk) {
        int c = 255 - inverted;
        int tmp = c * nk + 128;
        return clamp(nk - (((tmp >> 8) + tmp) >> 8));
    }

    private static int clamp(int v) {
        return v < 0 ? 0 : Math.min(v, 255);
    }
}
