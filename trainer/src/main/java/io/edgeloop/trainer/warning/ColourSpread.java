package io.edgeloop.trainer.warning;

import java.awt.image.BufferedImage;

/**
 * How colourful an image really is, measured on its pixels rather than read from the file format (a grey photo is
 * often stored as an RGB JPEG): the mean over pixels of max(R, G, B) − min(R, G, B), in 0–255 levels. Exactly 0 for
 * a grey image, at most a level or two for a grey image saved as a colour JPEG (chroma rounding); natural colour
 * photos are in the tens.
 */
public final class ColourSpread {

    /**
     * An image whose mean spread reaches this many levels has colour. Grey images saved as RGB JPEG measure below 1
     * ({@code ColourSpreadTest}); muted colour (sepia, overcast scenes) is already well above.
     */
    public static final double COLOUR_LEVELS = 6.0;

    /** At most this many pixels are read per image (an even grid); enough for a mean of bounded values. */
    static final int MAX_PIXELS = 65_536;

    private ColourSpread() {
    }

    /** The image's mean channel spread, 0–255. */
    public static double of(BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        int step = (int) Math.max(1, Math.ceil(Math.sqrt((double) width * height / MAX_PIXELS)));
        long sum = 0;
        long count = 0;
        for (int y = 0; y < height; y += step) {
            for (int x = 0; x < width; x += step) {
                int rgb = image.getRGB(x, y);
                int r = (rgb >> 16) & 0xff;
                int g = (rgb >> 8) & 0xff;
                int b = rgb & 0xff;
                sum += Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b));
                count++;
            }
        }
        return count == 0 ? 0 : (double) sum / count;
    }

    /** Whether the image has real colour. */
    public static boolean hasColour(BufferedImage image) {
        return of(image) >= COLOUR_LEVELS;
    }
}
