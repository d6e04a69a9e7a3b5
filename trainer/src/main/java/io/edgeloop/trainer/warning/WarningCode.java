package io.edgeloop.trainer.warning;

/** The machine-readable kind of a {@link RunWarning}; {@link #id()} is stable (scripts may match on it). */
public enum WarningCode {
    /** The base's weights are a random initialisation: there is nothing to transfer. */
    RANDOM_BASE("random-base", Severity.WARNING),
    /** The base was trained on grey images, the data has colour. */
    GREY_BASE_COLOUR_DATA("grey-base-colour-data", Severity.WARNING),
    /** The base was trained on colour images, the data is grey (works, colour features go unused). */
    COLOUR_BASE_GREY_DATA("colour-base-grey-data", Severity.INFO),
    /** The images are far larger than the base's input: they are shrunk a lot and lose detail. */
    IMAGES_SHRUNK("images-shrunk", Severity.WARNING),
    /** The images are far smaller than the base's input: they are upscaled a lot. */
    IMAGES_UPSCALED("images-upscaled", Severity.INFO),
    /** The accuracy's 95 % interval is wider than ±5 points, or the set is below the minimum size. */
    VALIDATION_TOO_SMALL("validation-too-small", Severity.WARNING),
    /** No validation images at all: the run's accuracy is unknown. */
    NO_VALIDATION("no-validation", Severity.WARNING),
    /** A check could not be carried out (the reason says why); the run itself is unaffected. */
    CHECK_FAILED("check-failed", Severity.INFO);

    private final String id;
    private final Severity severity;

    WarningCode(String id, Severity severity) {
        this.id = id;
        this.severity = severity;
    }

    /** The stable code, e.g. {@code random-base}. */
    public String id() {
        return id;
    }

    public Severity severity() {
        return severity;
    }
}
