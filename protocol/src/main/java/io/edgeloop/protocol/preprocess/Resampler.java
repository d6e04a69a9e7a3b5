package io.edgeloop.protocol.preprocess;

import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/** Image resizing. Bilinear; to be replaced by an antialiased filter matching torchvision. */
final class Resampler {

    private Resampler() {
    }

    static BufferedImage resize(BufferedImage image, int width, int height) {
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        var g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(image, 0, 0, width, height, null);
        } finally {
            g.dispose();
        }
        return out;
    }
}
