package io.edgeloop.trainer.datasets;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Writes one Fashion-MNIST split, restricted to a task's classes, as an ImageFolder tree: one folder per class
 * (named by {@link FashionMnistClass#folderName()}), one 28×28 greyscale PNG per image named after the split and
 * the image's index in the IDX file ({@code train-01234.png}), so every file can be traced back.
 *
 * <p>With a per-class limit the selection is stratified: each class independently draws up to the limit at random
 * from its images, with a generator seeded from the seed and the label, so the same options always select the
 * same images and one class's draw does not depend on the others.
 */
public final class FashionMnistExport {

    /** Per-class limit meaning "every image". */
    public static final int NO_LIMIT = Integer.MAX_VALUE;

    /**
     * What to export.
     *
     * @param task which classes
     * @param perClassLimit at most this many images per class, >= 1 ({@link #NO_LIMIT} for all)
     * @param seed seeds the random selection when the limit is below a class's size
     * @param outputDirectory the ImageFolder root; must not exist yet or be empty
     */
    public record Options(FashionMnistTask task, int perClassLimit, long seed, Path outputDirectory) {
        public Options {
            Objects.requireNonNull(task, "task");
            Objects.requireNonNull(outputDirectory, "outputDirectory");
            if (perClassLimit < 1) {
                throw new IllegalArgumentException("per-class limit " + perClassLimit + " is invalid: must be >= 1");
            }
        }
    }

    /**
     * What was written.
     *
     * @param outputDirectory the ImageFolder root
     * @param imagesPerFolder images written per class folder, in label order
     */
    public record Summary(Path outputDirectory, Map<String, Integer> imagesPerFolder) {
        public Summary {
            imagesPerFolder = Collections.unmodifiableMap(new LinkedHashMap<>(imagesPerFolder));
        }

        /** Total images written. */
        public int total() {
            return imagesPerFolder.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    private FashionMnistExport() {
    }

    /** Selects and writes the images; fails before writing anything if the output directory is not empty. */
    public static Summary export(FashionMnist data, Options options) throws IOException {
        Path out = options.outputDirectory();
        if (Files.exists(out)) {
            if (!Files.isDirectory(out)) {
                throw new IOException("output " + out + " exists and is not a directory");
            }
            try (Stream<Path> entries = Files.list(out)) {
                if (entries.findAny().isPresent()) {
                    throw new IOException("output directory " + out
                            + " is not empty: choose a new or empty directory so exports are not mixed");
                }
            }
        }
        Map<FashionMnistClass, List<Integer>> selected = select(data, options);
        Map<String, Integer> written = new LinkedHashMap<>();
        BufferedImage image = new BufferedImage(FashionMnist.IMAGE_SIZE, FashionMnist.IMAGE_SIZE,
                BufferedImage.TYPE_BYTE_GRAY);
        for (Map.Entry<FashionMnistClass, List<Integer>> entry : selected.entrySet()) {
            Path folder = Files.createDirectories(out.resolve(entry.getKey().folderName()));
            for (int index : entry.getValue()) {
                image.getRaster().setDataElements(0, 0, FashionMnist.IMAGE_SIZE, FashionMnist.IMAGE_SIZE,
                        data.image(index));
                Path file = folder.resolve(String.format("%s-%05d.png", data.split().cliName(), index));
                if (!ImageIO.write(image, "png", file.toFile())) {
                    throw new IOException("no PNG writer available to write " + file);
                }
            }
            written.put(entry.getKey().folderName(), entry.getValue().size());
        }
        return new Summary(out, written);
    }

    /**
     * The indices to export per class, in label order and ascending index order within a class: all of a class's
     * images when it has at most the limit, else a seeded random sample of exactly the limit.
     */
    public static Map<FashionMnistClass, List<Integer>> select(FashionMnist data, Options options) {
        Map<FashionMnistClass, List<Integer>> byClass = new LinkedHashMap<>();
        for (FashionMnistClass c : options.task().classes()) {
            byClass.put(c, new ArrayList<>());
        }
        for (int i = 0; i < data.size(); i++) {
            List<Integer> list = byClass.get(data.label(i));
            if (list != null) {
                list.add(i);
            }
        }
        Map<FashionMnistClass, List<Integer>> result = new LinkedHashMap<>();
        byClass.forEach((c, indices) -> {
            if (indices.size() > options.perClassLimit()) {
                Collections.shuffle(indices, new Random(classSeed(options.seed(), c)));
                indices = new ArrayList<>(indices.subList(0, options.perClassLimit()));
                Collections.sort(indices);
            }
            result.put(c, List.copyOf(indices));
        });
        return result;
    }

    private static long classSeed(long seed, FashionMnistClass c) {
        // SplitMix64 finaliser: decorrelates the per-class streams of neighbouring seeds.
        long z = seed + 0x9E3779B97F4A7C15L * (c.label() + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
