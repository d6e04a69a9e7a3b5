package io.edgeloop.trainer.warning;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Whether the images match what the base was trained on: grey base with colour data (a warning), colour base with
 * grey data (information: it works), and an input side far from the images' size (shrunk a lot: a warning;
 * upscaled a lot: information).
 */
public final class DomainCheck {

    /** Images whose median shorter side is at least this many times the base's input side are "shrunk a lot". */
    public static final int SHRINK_FACTOR = 4;
    /** A base input at least this many times the images' median shorter side "upscales a lot". */
    public static final int UPSCALE_FACTOR = 4;

    static final String BASES_DOC = "see docs/bases.md";

    private DomainCheck() {
    }

    /**
     * The domain warnings for a base and a sample of the data.
     *
     * @param base      the base model file (named in the messages)
     * @param domain    what the base was trained on
     * @param inputSide the base's input side in pixels
     * @param data      the sampled training images
     */
    public static List<RunWarning> check(Path base, BaseDomain domain, int inputSide, DataAppearance data) {
        List<RunWarning> warnings = new ArrayList<>();
        if (data.sampled() == 0) {
            return warnings;
        }
        String trainedOn = domain.trainingData().map(d -> " (" + d + ")").orElse("");
        if (domain.grey() && data.mostlyColour()) {
            warnings.add(new RunWarning(WarningCode.GREY_BASE_COLOUR_DATA, String.format(Locale.ROOT,
                    "%s was trained on grey images%s: %s; but %d of %d sampled training images have colour"
                            + " (median channel spread %.0f of 255 levels). It never saw colour, so colour cues in"
                            + " your images are largely lost on its features", base, trainedOn,
                    domain.greyEvidence().get(), data.colour(), data.sampled(), data.medianSpread()),
                    "use a base pretrained on colour photos (" + BASES_DOC + "); if colour does not matter for"
                            + " your classes, this matters less"));
        } else if (!domain.grey() && domain.inputChannels() == 3 && data.allGrey()) {
            warnings.add(new RunWarning(WarningCode.COLOUR_BASE_GREY_DATA, String.format(Locale.ROOT,
                    "all %d sampled training images are grey but %s takes colour input: this works (grey is"
                            + " given to it as R = G = B), its colour features simply go unused", data.sampled(),
                    base), "nothing is needed; a base pretrained on grey images may transfer better if you have"
                    + " one"));
        }
        int side = data.medianShortSide();
        if (side >= SHRINK_FACTOR * inputSide) {
            warnings.add(new RunWarning(WarningCode.IMAGES_SHRUNK, String.format(Locale.ROOT,
                    "the sampled images' median shorter side is %d px but %s takes %dx%d input%s: each image is"
                            + " shrunk about %.0fx, and detail finer than 1/%d of the image is lost", side, base,
                    inputSide, inputSide, trainedOn, (double) side / inputSide, inputSide),
                    "use a base with a larger input (" + BASES_DOC + "), or crop the images to the object"));
        } else if (side > 0 && UPSCALE_FACTOR * side <= inputSide) {
            warnings.add(new RunWarning(WarningCode.IMAGES_UPSCALED, String.format(Locale.ROOT,
                    "the sampled images' median shorter side is %d px but %s takes %dx%d input: each image is"
                            + " enlarged about %.0fx, which adds no detail", side, base, inputSide, inputSide,
                    (double) inputSide / side), "this usually works; a base with a smaller input would train"
                    + " faster on such images (" + BASES_DOC + ")"));
        }
        return warnings;
    }
}
