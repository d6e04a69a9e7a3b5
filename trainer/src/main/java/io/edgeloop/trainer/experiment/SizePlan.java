package io.edgeloop.trainer.experiment;

/**
 * One training-set size of the experiment and how long to train at it.
 *
 * @param perClass labelled training images per class, &gt;= 1; {@link #ALL} for every image the pool has
 * @param epochs   training epochs at this size, 1..10000 (early stopping may end a run sooner)
 */
public record SizePlan(int perClass, int epochs) {

    /** "Every labelled image" as a per-class count. */
    public static final int ALL = Integer.MAX_VALUE;

    public SizePlan {
        if (perClass < 1) {
            throw new IllegalArgumentException("images per class is " + perClass + ", allowed >= 1 or 'all'");
        }
        if (epochs < 1 || epochs > 10_000) {
            throw new IllegalArgumentException("epochs for " + label(perClass) + " images per class is " + epochs
                    + ", allowed 1..10000");
        }
    }

    /** Parses {@code N:EPOCHS} or {@code all:EPOCHS}, e.g. {@code 20:30}. */
    public static SizePlan parse(String text) {
        String[] parts = text.trim().split(":");
        if (parts.length != 2) {
            throw new IllegalArgumentException("size plan '" + text + "' is invalid: expected N:EPOCHS or"
                    + " all:EPOCHS, e.g. 20:30");
        }
        int perClass;
        int epochs;
        try {
            perClass = parts[0].equalsIgnoreCase("all") ? ALL : Integer.parseInt(parts[0]);
            epochs = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("size plan '" + text + "' is invalid: expected N:EPOCHS or"
                    + " all:EPOCHS with whole numbers, e.g. 20:30");
        }
        return new SizePlan(perClass, epochs);
    }

    /** {@code all} or the number. */
    public String label() {
        return label(perClass);
    }

    static String label(int perClass) {
        return perClass == ALL ? "all" : Integer.toString(perClass);
    }
}
