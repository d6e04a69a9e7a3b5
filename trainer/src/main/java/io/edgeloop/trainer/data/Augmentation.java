package io.edgeloop.trainer.data;

/**
 * Training-time augmentation settings, torchvision semantics: {@code RandomResizedCrop(scale, ratio)},
 * {@code RandomHorizontalFlip(p)}, {@code ColorJitter(brightness, contrast, saturation)}.
 *
 * @param minScale       smallest crop area as a fraction of the image area (torchvision default 0.08)
 * @param maxScale       largest crop area fraction (default 1.0)
 * @param minRatio       smallest crop aspect ratio w/h (default 3/4)
 * @param maxRatio       largest crop aspect ratio w/h (default 4/3)
 * @param flipProbability probability of a horizontal flip (default 0.5)
 * @param brightness     brightness factor drawn from [max(0, 1-b), 1+b]; 0 disables
 * @param contrast       contrast factor drawn from [max(0, 1-c), 1+c]; 0 disables
 * @param saturation     saturation factor drawn from [max(0, 1-s), 1+s]; 0 disables
 */
public record Augmentation(double minScale, double maxScale, double minRatio, double maxRatio,
                           double flipProbability, double brightness, double contrast, double saturation) {

    /** torchvision's usual fine-tuning recipe with a mild colour jitter (0.2). */
    public static final Augmentation DEFAULT = new Augmentation(0.08, 1.0, 3.0 / 4.0, 4.0 / 3.0, 0.5, 0.2, 0.2, 0.2);

    public Augmentation {
        if (!(minScale > 0 && minScale <= maxScale && maxScale <= 1)) {
            throw new IllegalArgumentException("augmentation scale is (" + minScale + ", " + maxScale
                    + "), allowed 0 < minScale <= maxScale <= 1");
        }
        if (!(minRatio > 0 && minRatio <= maxRatio && Double.isFinite(maxRatio))) {
            throw new IllegalArgumentException("augmentation ratio is (" + minRatio + ", " + maxRatio
                    + "), allowed 0 < minRatio <= maxRatio (finite)");
        }
        if (!(flipProbability >= 0 && flipProbability <= 1)) {
            throw new IllegalArgumentException(
                    "augmentation flipProbability is " + flipProbability + ", allowed 0..1");
        }
        requireJitter("brightness", brightness);
        requireJitter("contrast", contrast);
        requireJitter("saturation", saturation);
    }

    /** The same settings with another crop scale range (for {@code --crop-scale}). */
    public Augmentation withScale(double newMinScale, double newMaxScale) {
        return new Augmentation(newMinScale, newMaxScale, minRatio, maxRatio, flipProbability, brightness,
                contrast, saturation);
    }

    private static void requireJitter(String field, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException("augmentation " + field + " is " + value + ", allowed 0..1");
        }
    }
}
