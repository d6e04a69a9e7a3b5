package io.edgeloop.trainer.datasets;

import java.util.List;

/**
 * The ten Fashion-MNIST classes in label order (the ordinal is the label in the IDX files), with the class name
 * Zalando publishes and a filesystem-safe folder name for ImageFolder trees.
 */
public enum FashionMnistClass {
    T_SHIRT_TOP("T-shirt/top", "t-shirt-top"),
    TROUSER("Trouser", "trouser"),
    PULLOVER("Pullover", "pullover"),
    DRESS("Dress", "dress"),
    COAT("Coat", "coat"),
    SHIRT("Shirt", "shirt"),
    SANDAL("Sandal", "sandal"),
    SNEAKER("Sneaker", "sneaker"),
    BAG("Bag", "bag"),
    ANKLE_BOOT("Ankle boot", "ankle-boot");

    private static final List<FashionMnistClass> ALL = List.of(values());

    private final String displayName;
    private final String folderName;

    FashionMnistClass(String displayName, String folderName) {
        this.displayName = displayName;
        this.folderName = folderName;
    }

    /** The label as stored in the IDX label files, 0..9. */
    public int label() {
        return ordinal();
    }

    /** The published class name, e.g. {@code T-shirt/top}. */
    public String displayName() {
        return displayName;
    }

    /** Lower-case, filesystem-safe folder name, e.g. {@code t-shirt-top}, {@code ankle-boot}. */
    public String folderName() {
        return folderName;
    }

    /** The class with the given label; names the bad label and the allowed range otherwise. */
    public static FashionMnistClass ofLabel(int label) {
        if (label < 0 || label >= ALL.size()) {
            throw new IllegalArgumentException("Fashion-MNIST label " + label + " does not exist: allowed 0 to "
                    + (ALL.size() - 1));
        }
        return ALL.get(label);
    }
}
