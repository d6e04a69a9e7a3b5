package io.edgeloop.protocol.preprocess;

import java.util.List;
import java.util.Objects;

/**
 * How raw pixels become a model's input tensor: resize, centre crop, scale, normalise, channel order.
 * Travels inside the model card so trainer and agent preprocess identically.
 *
 * <p>Per channel, in the model's channel order: {@code out = (pixel * valueScale - mean) / std}, where
 * {@code pixel} is the 0–255 sample value. Output layout is NCHW, one image of {@code 3 × cropSize × cropSize}.
 *
 * @param resize     resize policy applied first
 * @param resizeSize target size of the resize (shorter side, or both sides for {@link ResizePolicy#EXACT});
 *                   ignored for {@link ResizePolicy#NONE}
 * @param cropSize   side of the square centre crop, which is also the model's input height and width
 * @param mean       three per-channel means, in the model's channel order
 * @param std        three per-channel standard deviations, all positive, in the model's channel order
 * @param valueScale factor applied to 0–255 samples before normalisation (1/255 for torchvision models)
 * @param colourOrder channel order of the model input
 */
public record PreprocessSpec(
        ResizePolicy resize,
        int resizeSize,
        int cropSize,
        List<Double> mean,
        List<Double> std,
        double valueScale,
        ColourOrder colourOrder) {

    /** Largest accepted resize or crop side, far above any CNN input; guards against absurd cards. */
    public static final int MAX_SIDE = 4096;

    /** torchvision's ImageNet evaluation transform: shorter side to 256, centre crop 224, ImageNet mean/std. */
    public static final PreprocessSpec IMAGENET_224 = imagenet(256, 224);

    public PreprocessSpec {
        Objects.requireNonNull(resize, "preprocessing.resize must be one of SHORTER_SIDE, EXACT, NONE");
        Objects.requireNonNull(colourOrder, "preprocessing.colourOrder must be one of RGB, BGR");
        if (cropSize < 1 || cropSize > MAX_SIDE) {
            throw new IllegalArgumentException(
                    "preprocessing.cropSize is " + cropSize + ", allowed 1.." + MAX_SIDE);
        }
        if (resize != ResizePolicy.NONE && (resizeSize < cropSize || resizeSize > MAX_SIDE)) {
            throw new IllegalArgumentException("preprocessing.resizeSize is " + resizeSize
                    + ", allowed cropSize (" + cropSize + ").." + MAX_SIDE + " for resize " + resize);
        }
        mean = requireThree("preprocessing.mean", mean, false);
        std = requireThree("preprocessing.std", std, true);
        if (!(valueScale > 0) || Double.isInfinite(valueScale)) {
            throw new IllegalArgumentException(
                    "preprocessing.valueScale is " + valueScale + ", allowed a finite number > 0");
        }
    }

    /** The torchvision ImageNet transform at any size: shorter side to {@code resizeSize}, crop {@code cropSize}. */
    public static PreprocessSpec imagenet(int resizeSize, int cropSize) {
        return new PreprocessSpec(ResizePolicy.SHORTER_SIDE, resizeSize, cropSize,
                List.of(0.485, 0.456, 0.406), List.of(0.229, 0.224, 0.225), 1.0 / 255.0, ColourOrder.RGB);
    }

    /** Number of floats one preprocessed image occupies: {@code 3 × cropSize × cropSize}. */
    public int tensorLength() {
        return 3 * cropSize * cropSize;
    }

    /** Same preprocessing at another input size, keeping the resize-to-crop ratio (e.g. 256/224). */
    public PreprocessSpec withCropSize(int newCropSize) {
        int newResize = resize == ResizePolicy.NONE
                ? newCropSize
                : (int) Math.round((double) resizeSize * newCropSize / cropSize);
        return new PreprocessSpec(resize, newResize, newCropSize, mean, std, valueScale, colourOrder);
    }

    private static List<Double> requireThree(String field, List<Double> values, boolean positive) {
        if (values == null || values.size() != 3) {
            throw new IllegalArgumentException(field + " is " + values
                    + ", allowed exactly 3 numbers (one per channel)");
        }
        for (Double v : values) {
            if (v == null || !Double.isFinite(v) || (positive && v <= 0)) {
                throw new IllegalArgumentException(field + " is " + values + ", allowed 3 finite numbers"
                        + (positive ? " > 0" : ""));
            }
        }
        return List.copyOf(values);
    }
}
