package io.edgeloop.trainer.data;

import io.edgeloop.protocol.preprocess.PreprocessSpec;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the images come from and how they are prepared.
 *
 * @param trainDir           ImageFolder with the training images
 * @param validationDir      separate ImageFolder for validation; empty → a stratified split of {@code trainDir}
 * @param validationFraction share held out per class when splitting, in (0, 1)
 * @param seed               seed of the split and of every augmentation / shuffle
 * @param augment            augmentation on (training images) or the eval transform everywhere
 * @param augmentation       augmentation settings, used when {@code augment}
 * @param spec               the model's preprocessing (resize, crop, normalisation)
 * @param cacheBytes         pixel bytes of prepared images kept in memory (0 = decode every epoch)
 * @param threads            decoding threads, >= 1
 */
public record DataConfig(Path trainDir, Optional<Path> validationDir, double validationFraction, long seed,
                         boolean augment, Augmentation augmentation, PreprocessSpec spec, long cacheBytes,
                         int threads) {

    /** 1 GiB of decoded pixels: about 5,000 images at 224×224 plus their augmentation sources. */
    public static final long DEFAULT_CACHE_BYTES = 1L << 30;

    public DataConfig {
        Objects.requireNonNull(trainDir, "trainDir");
        Objects.requireNonNull(validationDir, "validationDir");
        Objects.requireNonNull(augmentation, "augmentation");
        Objects.requireNonNull(spec, "spec");
        if (!(validationFraction > 0 && validationFraction < 1)) {
            throw new IllegalArgumentException(
                    "validationFraction is " + validationFraction + ", allowed 0 < f < 1");
        }
        if (cacheBytes < 0) {
            throw new IllegalArgumentException("cacheBytes is " + cacheBytes + ", allowed >= 0");
        }
        if (threads < 1 || threads > 256) {
            throw new IllegalArgumentException("threads is " + threads + ", allowed 1..256");
        }
    }

    /** Defaults: 20 % validation split, default augmentation, 1 GiB cache, one thread per core. */
    public static DataConfig of(Path trainDir, PreprocessSpec spec, long seed, boolean augment) {
        return new DataConfig(trainDir, Optional.empty(), 0.2, seed, augment, Augmentation.DEFAULT, spec,
                DEFAULT_CACHE_BYTES, Runtime.getRuntime().availableProcessors());
    }

    public DataConfig withValidationDir(Path dir) {
        return new DataConfig(trainDir, Optional.of(dir), validationFraction, seed, augment, augmentation, spec,
                cacheBytes, threads);
    }

    public DataConfig withCacheBytes(long bytes) {
        return new DataConfig(trainDir, validationDir, validationFraction, seed, augment, augmentation, spec,
                bytes, threads);
    }

    public DataConfig withThreads(int n) {
        return new DataConfig(trainDir, validationDir, validationFraction, seed, augment, augmentation, spec,
                cacheBytes, n);
    }

    public DataConfig withValidationFraction(double fraction) {
        return new DataConfig(trainDir, validationDir, fraction, seed, augment, augmentation, spec, cacheBytes,
                threads);
    }

    public DataConfig withAugmentation(Augmentation settings) {
        return new DataConfig(trainDir, validationDir, validationFraction, seed, augment, settings, spec,
                cacheBytes, threads);
    }
}
