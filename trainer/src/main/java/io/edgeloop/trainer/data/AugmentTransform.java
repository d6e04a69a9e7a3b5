package io.edgeloop.trainer.data;

import io.edgeloop.protocol.preprocess.ImagePreprocessor;
import io.edgeloop.protocol.preprocess.PreprocessSpec;
import io.edgeloop.protocol.preprocess.ResizePolicy;
import java.awt.image.BufferedImage;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Random resized crop, horizontal flip and colour jitter on an RGB image, producing a {@code crop × crop} image
 * ready for {@link ImagePreprocessor#normaliseCropped}. The crop is resized with the protocol's own resampler
 * (an exact-size {@link PreprocessSpec}), so training and serving share one resize implementation.
 * Not thread-safe (scratch state); one instance per task.
 */
public final class AugmentTransform {

    private static final int ATTEMPTS = 10;

    private final Augmentation settings;
    private final int cropSize;
    private final ImagePreprocessor resizer;

    public AugmentTransform(Augmentation settings, PreprocessSpec spec) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.cropSize = spec.cropSize();
        this.resizer = new ImagePreprocessor(new PreprocessSpec(ResizePolicy.EXACT, cropSize, cropSize,
                spec.mean(), spec.std(), spec.valueScale(), spec.colourOrder()));
    }

    /** Applies the augmentation with the given random source; the same source state gives the same image. */
    public BufferedImage apply(BufferedImage image, SplittableRandom random) {
        int[] box = cropBox(image.getWidth(), image.getHeight(), random);
        BufferedImage region = image.getSubimage(box[0], box[1], box[2], box[3]);
        BufferedImage resized = resizer.resizeAndCrop(region);
        // work on a private copy of the packed pixels (resizeAndCrop may return a view of the cached source)
        int[] px = packedPixels(resized);
        if (random.nextDouble() < settings.flipProbability()) {
            flipHorizontally(px, cropSize, cropSize);
        }
        jitter(px, random);
        BufferedImage out = new BufferedImage(cropSize, cropSize, BufferedImage.TYPE_INT_RGB);
        out.getRaster().setDataElements(0, 0, cropSize, cropSize, px);
        return out;
    }

    /**
     * torchvision's {@code RandomResizedCrop.get_params}: up to 10 tries of a random area and log-uniform aspect
     * ratio, else a centre crop clamped to the ratio range. Returns {x, y, width, height}.
     */
    int[] cropBox(int width, int height, SplittableRandom random) {
        double area = (double) width * height;
        double logMin = Math.log(settings.minRatio());
        double logMax = Math.log(settings.maxRatio());
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            double target = area * uniform(random, settings.minScale(), settings.maxScale());
            double ratio = Math.exp(uniform(random, logMin, logMax));
            int w = (int) Math.round(Math.sqrt(target * ratio));
            int h = (int) Math.round(Math.sqrt(target / ratio));
            if (w > 0 && h > 0 && w <= width && h <= height) {
                int y = random.nextInt(height - h + 1);
                int x = random.nextInt(width - w + 1);
                return new int[] {x, y, w, h};
            }
        }
        double inRatio = (double) width / height;
        int w;
        int h;
        if (inRatio < settings.minRatio()) {
            w = width;
            h = Math.min(height, (int) Math.round(w / settings.minRatio()));
        } else if (inRatio > settings.maxRatio()) {
            h = height;
            w = Math.min(width, (int) Math.round(h * settings.maxRatio()));
        } else {
            w = width;
            h = height;
        }
        return new int[] {(width - w) / 2, (height - h) / 2, w, h};
    }

    private void jitter(int[] px, SplittableRandom random) {
        double b = factor(random, settings.brightness());
        double c = factor(random, settings.contrast());
        double s = factor(random, settings.saturation());
        if (b == 1 && c == 1 && s == 1) {
            return;
        }
        float[] rgb = new float[px.length * 3];
        for (int i = 0; i < px.length; i++) {
            rgb[3 * i] = (px[i] >> 16) & 0xFF;
            rgb[3 * i + 1] = (px[i] >> 8) & 0xFF;
            rgb[3 * i + 2] = px[i] & 0xFF;
        }
        // torchvision applies the three adjustments in a random order
        int[] order = {0, 1, 2};
        for (int i = 2; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        for (int op : order) {
            switch (op) {
                case 0 -> blendWithConstant(rgb, b, 0f);
                case 1 -> blendWithConstant(rgb, c, meanGrey(rgb));
                default -> blendWithGrey(rgb, s);
            }
        }
        for (int i = 0; i < px.length; i++) {
            px[i] = (clamp(rgb[3 * i]) << 16) | (clamp(rgb[3 * i + 1]) << 8) | clamp(rgb[3 * i + 2]);
        }
    }

    /** {@code v * f + k * (1 - f)}, clamped to 0..255: brightness (k = 0) and contrast (k = mean grey). */
    private static void blendWithConstant(float[] rgb, double f, float k) {
        if (f == 1) {
            return;
        }
        float ff = (float) f;
        float add = (float) ((1 - f) * k);
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = Math.max(0f, Math.min(255f, rgb[i] * ff + add));
        }
    }

    private static void blendWithGrey(float[] rgb, double f) {
        if (f == 1) {
            return;
        }
        float ff = (float) f;
        for (int i = 0; i < rgb.length; i += 3) {
            float grey = grey(rgb, i);
            for (int c = 0; c < 3; c++) {
                rgb[i + c] = Math.max(0f, Math.min(255f, rgb[i + c] * ff + grey * (1 - ff)));
            }
        }
    }

    private static float meanGrey(float[] rgb) {
        double sum = 0;
        for (int i = 0; i < rgb.length; i += 3) {
            sum += grey(rgb, i);
        }
        return (float) (sum / (rgb.length / 3));
    }

    /** ITU-R 601-2 luma, as torchvision's rgb_to_grayscale. */
    private static float grey(float[] rgb, int i) {
        return 0.299f * rgb[i] + 0.587f * rgb[i + 1] + 0.114f * rgb[i + 2];
    }

    private static double factor(SplittableRandom random, double amount) {
        return amount == 0 ? 1 : uniform(random, Math.max(0, 1 - amount), 1 + amount);
    }

    private static double uniform(SplittableRandom random, double lo, double hi) {
        return lo == hi ? lo : lo + (hi - lo) * random.nextDouble();
    }

    private static int clamp(float v) {
        return Math.max(0, Math.min(255, Math.round(v)));
    }

    private static void flipHorizontally(int[] px, int width, int height) {
        for (int y = 0; y < height; y++) {
            for (int i = y * width, j = i + width - 1; i < j; i++, j--) {
                int t = px[i];
                px[i] = px[j];
                px[j] = t;
            }
        }
    }

    /** A fresh copy of the image's packed 0xRRGGBB pixels, row-major. */
    private static int[] packedPixels(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        if (image.getType() == BufferedImage.TYPE_INT_RGB) {
            return (int[]) image.getRaster().getDataElements(0, 0, w, h, null);
        }
        return image.getRGB(0, 0, w, h, null, 0, w);
    }
}
