package io.edgeloop.trainer.data;

import io.edgeloop.protocol.preprocess.ImageDecoder;
import io.edgeloop.protocol.preprocess.ImagePreprocessor;
import io.edgeloop.protocol.preprocess.ImageRejectedException;
import io.edgeloop.protocol.preprocess.PreprocessSpec;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Decodes images and keeps the prepared ones in memory up to a byte cap, so a small dataset is decoded once per
 * run instead of once per epoch. Two preparations:
 * <ul>
 *   <li>{@link Preparation#EVAL}: the protocol's resize + centre crop ({@code crop × crop}), exactly what the
 *       device computes; normalising it is the whole eval transform.</li>
 *   <li>{@link Preparation#AUGMENT}: the decoded image, shrunk so its shorter side is at most the spec's resize
 *       size (a bounded memory footprint); random resized crops are taken from it each epoch. For images larger
 *       than that, crops are therefore taken from a downscaled copy instead of the full-resolution original.</li>
 * </ul>
 * Thread-safe.
 */
public final class ImageStore {

    /** How an image is prepared before it is cached. */
    public enum Preparation { EVAL, AUGMENT }

    private final ImageDecoder decoder;
    private final PreprocessSpec spec;
    private final long capBytes;
    private final Map<Key, BufferedImage> cache = new ConcurrentHashMap<>();
    private final AtomicLong cachedBytes = new AtomicLong();

    private record Key(Path file, Preparation preparation) {
    }

    /**
     * @param capBytes most pixel bytes (4 per pixel) kept in memory; 0 disables the cache
     */
    public ImageStore(ImageDecoder decoder, PreprocessSpec spec, long capBytes) {
        this.decoder = Objects.requireNonNull(decoder, "decoder");
        this.spec = Objects.requireNonNull(spec, "spec");
        if (capBytes < 0) {
            throw new IllegalArgumentException("cacheBytes is " + capBytes + ", allowed >= 0");
        }
        this.capBytes = capBytes;
    }

    public PreprocessSpec spec() {
        return spec;
    }

    /** The prepared image, from the cache or decoded now (and cached while under the cap). */
    public BufferedImage prepared(Path file, Preparation preparation) throws IOException, ImageRejectedException {
        Key key = new Key(file, preparation);
        BufferedImage hit = cache.get(key);
        if (hit != null) {
            return hit;
        }
        BufferedImage decoded = decoder.decode(file);
        BufferedImage image = preparation == Preparation.EVAL
                ? new ImagePreprocessor(spec).resizeAndCrop(decoded)
                : shrinkForAugmentation(decoded, spec.resizeSize());
        long bytes = 4L * image.getWidth() * image.getHeight();
        if (cachedBytes.addAndGet(bytes) <= capBytes) {
            cache.putIfAbsent(key, image);
        } else {
            cachedBytes.addAndGet(-bytes);
        }
        return image;
    }

    /** Number of prepared images held in memory. */
    public int cachedImages() {
        return cache.size();
    }

    /** Pixel bytes held in memory. */
    public long cachedBytes() {
        return cachedBytes.get();
    }

    static BufferedImage shrinkForAugmentation(BufferedImage image, int maxShorterSide) {
        int w = image.getWidth();
        int h = image.getHeight();
        int shorter = Math.min(w, h);
        if (shorter <= maxShorterSide) {
            return image;
        }
        double f = (double) maxShorterSide / shorter;
        int tw = Math.max(1, (int) Math.round(w * f));
        int th = Math.max(1, (int) Math.round(h * f));
        // halve first while far too large: bilinear alone aliases badly on big reductions
        BufferedImage current = image;
        while (current.getWidth() / 2 >= tw && current.getHeight() / 2 >= th) {
            current = scale(current, current.getWidth() / 2, current.getHeight() / 2);
        }
        return scale(current, tw, th);
    }

    private static BufferedImage scale(BufferedImage image, int width, int height) {
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
