package io.edgeloop.trainer.warning;

import io.edgeloop.protocol.preprocess.ImageDecoder;
import io.edgeloop.protocol.preprocess.ImageRejectedException;
import io.edgeloop.trainer.data.ImageSample;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a sample of the training images looks like: how many have colour and how large they are. The sample is
 * spread evenly over the folder's (class-ordered) image list, so every class is seen; unreadable files are counted
 * and left out (the data loader reports them with their reason).
 *
 * @param sampled         images read
 * @param colour          of those, the ones with real colour ({@link ColourSpread#hasColour})
 * @param medianSpread    median colour spread, 0–255 levels
 * @param medianShortSide median of the shorter side, pixels
 * @param unreadable      sampled files that could not be decoded
 */
public record DataAppearance(int sampled, int colour, double medianSpread, int medianShortSide, int unreadable) {

    /** Images read per check: enough for a majority vote and a median, cheap next to training. */
    public static final int SAMPLE = 24;

    /** Decodes up to {@link #SAMPLE} images spread over {@code samples} and measures them. */
    public static DataAppearance measure(List<ImageSample> samples, ImageDecoder decoder) {
        int n = Math.min(SAMPLE, samples.size());
        List<Double> spreads = new ArrayList<>();
        List<Integer> sides = new ArrayList<>();
        int colour = 0;
        int unreadable = 0;
        for (int i = 0; i < n; i++) {
            ImageSample sample = samples.get((int) ((long) i * samples.size() / n));
            BufferedImage image;
            try {
                image = decoder.decode(sample.file());
            } catch (IOException | ImageRejectedException e) {
                unreadable++; // the loader skips and reports the same file with its reason
                continue;
            }
            double spread = ColourSpread.of(image);
            spreads.add(spread);
            if (spread >= ColourSpread.COLOUR_LEVELS) {
                colour++;
            }
            sides.add(Math.min(image.getWidth(), image.getHeight()));
        }
        double[] s = spreads.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int[] sideArray = sides.stream().mapToInt(Integer::intValue).sorted().toArray();
        return new DataAppearance(s.length, colour, s.length == 0 ? 0 : median(s), sideArray.length == 0 ? 0
                : (int) Math.round(median(Arrays.stream(sideArray).asDoubleStream().toArray())), unreadable);
    }

    /** Whether most sampled images have colour. */
    public boolean mostlyColour() {
        return sampled > 0 && 2 * colour > sampled;
    }

    /** Whether every sampled image is grey. */
    public boolean allGrey() {
        return sampled > 0 && colour == 0;
    }

    private static double median(double[] sorted) {
        int m = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
    }
}
