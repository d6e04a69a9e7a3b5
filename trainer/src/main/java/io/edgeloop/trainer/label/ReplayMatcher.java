package io.edgeloop.trainer.label;

import io.edgeloop.protocol.preprocess.DecodeLimits;
import io.edgeloop.protocol.preprocess.ImageDecoder;
import io.edgeloop.protocol.preprocess.ImageRejectedException;
import io.edgeloop.trainer.collect.InboxEntry;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Builds {@link GroundTruth} for the demo from the ImageFolder tree a device replays ({@code <label>/<image>}): each
 * inbox image is matched to the replay image that looks the same. Devices re-encode frames as JPEG (and may scale
 * them), so bytes differ; pixels are compared instead, as 16×16 grey thumbnails (mean absolute difference, 0..255).
 * An example matches when its nearest replay image is within {@code maxDifference} and no image of another label is
 * about as near (ambiguous matches are left unlabelled).
 */
public final class ReplayMatcher {

    /**
     * Default largest mean absolute thumbnail difference for a match. Measured on the 560 committed Fashion-MNIST
     * images re-encoded as JPEG: the nearest replay image was the right one for all 560, at most 2.1 away at
     * quality 85 and 5.8 at quality 50, while the nearest image of another label was never closer than 10.1.
     */
    public static final double DEFAULT_MAX_DIFFERENCE = 8.0;

    private static final int SIDE = 16;
    private static final double AMBIGUITY_MARGIN = 1.0;
    private static final List<String> EXTENSIONS = List.of(".jpg", ".jpeg", ".png", ".bmp");

    private record Reference(Path file, String label, float[] thumbnail) {
    }

    /** The outcome: the truth found, and the examples left without one (with why). */
    public record Result(GroundTruth truth, Map<String, String> unmatched) {
    }

    private final ImageDecoder decoder = new ImageDecoder(DecodeLimits.DEFAULT);
    private final List<Reference> references = new ArrayList<>();
    private final Path root;
    private final double maxDifference;

    /**
     * Loads the replay tree.
     *
     * @throws IllegalArgumentException if {@code root} has no label folders with images, or an image is unreadable
     */
    public ReplayMatcher(Path root, double maxDifference) throws IOException {
        this.root = root;
        this.maxDifference = maxDifference;
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("replay folder " + root + " not found");
        }
        List<Path> labelDirs;
        try (Stream<Path> s = Files.list(root)) {
            labelDirs = s.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted().toList();
        }
        for (Path labelDir : labelDirs) {
            List<Path> images;
            try (Stream<Path> s = Files.list(labelDir)) {
                images = s.filter(ReplayMatcher::isImage).sorted().toList();
            }
            for (Path image : images) {
                try {
                    references.add(new Reference(image, labelDir.getFileName().toString(),
                            thumbnail(decoder.decode(image))));
                } catch (ImageRejectedException e) {
                    throw new IllegalArgumentException("replay image " + e.getMessage(), e);
                }
            }
        }
        if (references.isEmpty()) {
            throw new IllegalArgumentException("replay folder " + root + " has no <label>/<image> files ("
                    + String.join(", ", EXTENSIONS) + "), allowed an ImageFolder tree");
        }
    }

    /**
     * One image's outcome: the label of the replay image it matches, or why it has none.
     *
     * @param label         the label, when the image matched
     * @param noMatchReason why not, when {@code label} is empty
     */
    public record Match(Optional<String> label, Optional<String> noMatchReason) {

        public Match {
            if (label.isPresent() == noMatchReason.isPresent()) {
                throw new IllegalArgumentException("a match has label " + label + " and reason " + noMatchReason
                        + ", allowed exactly one");
            }
        }
    }

    /** Matches each example's image to the replay tree. */
    public Result match(List<InboxEntry> examples) throws IOException {
        Map<String, String> labels = new LinkedHashMap<>();
        Map<String, String> unmatched = new LinkedHashMap<>();
        for (InboxEntry e : examples) {
            Match m;
            try {
                m = match(decoder.decode(e.image()));
            } catch (ImageRejectedException ex) {
                m = unreadable(ex);
            }
            if (m.label().isPresent()) {
                labels.put(e.sidecar().imageSha256(), m.label().get());
            } else {
                unmatched.put(e.sidecar().id(), m.noMatchReason().get());
            }
        }
        return new Result(new GroundTruth("replay folder " + root + " (matched by pixels)", labels), unmatched);
    }

    /**
     * Matches an encoded image (JPEG, PNG or BMP), such as one a client fetched over HTTP; an image that cannot be
     * decoded has no match, with the decoder's reason.
     *
     * @param source names the image in that reason
     */
    public Match match(byte[] encoded, String source) {
        try {
            return match(decoder.decode(encoded, source));
        } catch (ImageRejectedException e) {
            return unreadable(e);
        }
    }

    /** Matches one decoded image to the replay tree. */
    public Match match(BufferedImage image) {
        float[] t = thumbnail(image);
        Reference best = null;
        double bestD = Double.MAX_VALUE;
        double otherLabelD = Double.MAX_VALUE;
        double[] ds = new double[references.size()];
        for (int i = 0; i < references.size(); i++) {
            ds[i] = difference(t, references.get(i).thumbnail());
            if (ds[i] < bestD) {
                bestD = ds[i];
                best = references.get(i);
            }
        }
        for (int i = 0; i < references.size(); i++) {
            if (!references.get(i).label().equals(best.label())) {
                otherLabelD = Math.min(otherLabelD, ds[i]);
            }
        }
        if (bestD > maxDifference) {
            return noMatch(String.format(Locale.ROOT, "no replay image within %.1f (nearest %s at %.1f)",
                    maxDifference, root.relativize(best.file()), bestD));
        } else if (otherLabelD - bestD < AMBIGUITY_MARGIN) {
            return noMatch(String.format(Locale.ROOT, "ambiguous: %s at %.1f, another label at %.1f",
                    root.relativize(best.file()), bestD, otherLabelD));
        }
        return new Match(Optional.of(best.label()), Optional.empty());
    }

    private static Match unreadable(ImageRejectedException e) {
        return noMatch("image unreadable: " + e.getMessage());
    }

    private static Match noMatch(String reason) {
        return new Match(Optional.empty(), Optional.of(reason));
    }

    /** How many replay images were loaded. */
    public int size() {
        return references.size();
    }

    static boolean isImage(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return !name.startsWith(".") && Files.isRegularFile(p) && EXTENSIONS.stream().anyMatch(name::endsWith);
    }

    /** A 16×16 grey thumbnail by area averaging (each source pixel goes to the cell it falls in). */
    static float[] thumbnail(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        double[] sum = new double[SIDE * SIDE];
        int[] count = new int[SIDE * SIDE];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            image.getRGB(0, y, w, 1, row, 0, w);
            int cy = (int) ((long) y * SIDE / h);
            for (int x = 0; x < w; x++) {
                int rgb = row[x];
                int cx = (int) ((long) x * SIDE / w);
                sum[cy * SIDE + cx] += 0.299 * ((rgb >> 16) & 0xFF) + 0.587 * ((rgb >> 8) & 0xFF)
                        + 0.114 * (rgb & 0xFF);
                count[cy * SIDE + cx]++;
            }
        }
        float[] t = new float[SIDE * SIDE];
        for (int i = 0; i < t.length; i++) {
            t[i] = count[i] > 0 ? (float) (sum[i] / count[i]) : (i > 0 ? t[i - 1] : 0f);
        }
        return t;
    }

    static double difference(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d += Math.abs(a[i] - b[i]);
        }
        return d / a.length;
    }
}
