package io.edgeloop.trainer.pretrain;

import io.edgeloop.trainer.datasets.FashionMnist;
import io.edgeloop.trainer.datasets.FashionMnistTask;

/**
 * Mean and standard deviation of the pixel values (0–1 scale) of a task's images: the normalisation the base
 * model's preprocessing uses, fitted on the source training images only.
 *
 * @param mean   mean pixel value, 0..1
 * @param std    population standard deviation, &gt; 0
 * @param images images measured
 */
public record PixelStatistics(double mean, double std, int images) {

    public PixelStatistics {
        if (!(mean >= 0 && mean <= 1)) {
            throw new IllegalArgumentException("mean is " + mean + ", allowed 0..1");
        }
        if (!(std > 0 && std <= 1)) {
            throw new IllegalArgumentException("std is " + std + ", allowed 0 < std <= 1");
        }
        if (images < 1) {
            throw new IllegalArgumentException("images is " + images + ", allowed >= 1");
        }
    }

    /** Measures every image of the task's classes in {@code data}. */
    public static PixelStatistics of(FashionMnist data, FashionMnistTask task) {
        double sum = 0;
        double sumSquares = 0;
        long pixels = 0;
        int images = 0;
        for (int i = 0; i < data.size(); i++) {
            if (!task.contains(data.label(i))) {
                continue;
            }
            for (byte b : data.image(i)) {
                double v = (b & 0xFF) / 255.0;
                sum += v;
                sumSquares += v * v;
            }
            pixels += (long) FashionMnist.IMAGE_SIZE * FashionMnist.IMAGE_SIZE;
            images++;
        }
        if (images == 0) {
            throw new IllegalArgumentException("the " + data.split().cliName() + " split has no image of the "
                    + task.cliName() + " task");
        }
        double mean = sum / pixels;
        double variance = Math.max(0, sumSquares / pixels - mean * mean);
        return new PixelStatistics(round(mean), round(Math.sqrt(variance)), images);
    }

    /** Four decimals: the card stays readable and the values are exactly reproducible. */
    private static double round(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }
}
