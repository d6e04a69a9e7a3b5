package io.edgeloop.trainer.data;

import io.edgeloop.protocol.preprocess.ImageDecoder;
import io.edgeloop.protocol.preprocess.ImageRejectedException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scans, splits and decodes a dataset once: every image is decoded (and prepared into the cache) up front, so
 * unreadable images are found before training starts and are skipped and listed, never fatal. A class left with
 * no readable training image is an error naming the class folder.
 */
public final class DatasetLoader {

    private static final Logger LOG = LoggerFactory.getLogger(DatasetLoader.class);

    private final ImageDecoder decoder;

    public DatasetLoader(ImageDecoder decoder) {
        this.decoder = decoder;
    }

    /**
     * Loads the dataset.
     *
     * @param pool decoding threads (not shut down here)
     */
    public Dataset load(DataConfig config, ExecutorService pool) throws IOException, InterruptedException {
        ImageFolder folder = ImageFolder.scan(config.trainDir());
        List<ImageSample> train;
        List<ImageSample> val;
        if (config.validationDir().isPresent()) {
            train = folder.samples();
            val = ImageFolder.scanValidation(config.validationDir().get(), folder.labels()).samples();
        } else {
            StratifiedSplit split = StratifiedSplit.of(folder.samples(), folder.labels().size(),
                    config.validationFraction(), config.seed());
            train = split.train();
            val = split.validation();
        }
        ImageStore store = new ImageStore(decoder, config.spec(), config.cacheBytes());
        List<SkippedImage> skipped = new ArrayList<>();
        List<ImageSample> usableTrain = decodeAll(train, store, config.augment()
                ? ImageStore.Preparation.AUGMENT : ImageStore.Preparation.EVAL, pool, skipped);
        List<ImageSample> usableVal = decodeAll(val, store, ImageStore.Preparation.EVAL, pool, skipped);
        int[] counts = ImageFolder.countsPerClass(usableTrain, folder.labels().size());
        for (int c = 0; c < counts.length; c++) {
            if (counts[c] == 0) {
                String label = folder.labels().get(c);
                long bad = skipped.stream().filter(s -> s.file().getParent().getFileName().toString().equals(label))
                        .count();
                throw new DatasetException("class folder " + config.trainDir().resolve(label)
                        + " has no readable training images (" + bad + " skipped as unreadable)");
            }
        }
        for (SkippedImage s : skipped) {
            LOG.warn("skipped {}: {}", s.file(), s.reason());
        }
        List<DatasetFingerprint.Entry> entries = new ArrayList<>();
        String valPart = config.validationDir().isPresent() ? "val" : "train";
        usableTrain.forEach(s -> entries.add(new DatasetFingerprint.Entry("train", s, folder.labels().get(s.label()))));
        usableVal.forEach(s -> entries.add(new DatasetFingerprint.Entry(valPart, s, folder.labels().get(s.label()))));
        String fingerprint = DatasetFingerprint.of(entries);
        LOG.info("dataset {}: {} classes, {} training and {} validation images, {} skipped, {} MB cached",
                config.trainDir(), folder.labels().size(), usableTrain.size(), usableVal.size(), skipped.size(),
                store.cachedBytes() >> 20);
        return new Dataset(folder.labels(), usableTrain, usableVal, skipped, fingerprint, store, config);
    }

    /**
     * Decodes (and caches) every sample on the pool; returns the readable ones in order and adds the others, with
     * the reason, to {@code skipped}.
     */
    public static List<ImageSample> decodeAll(List<ImageSample> samples, ImageStore store,
                                              ImageStore.Preparation preparation, ExecutorService pool,
                                              List<SkippedImage> skipped) throws InterruptedException {
        List<Future<String>> results = new ArrayList<>(samples.size());
        for (ImageSample s : samples) {
            results.add(pool.submit(() -> {
                try {
                    store.prepared(s.file(), preparation);
                    return null;
                } catch (ImageRejectedException e) {
                    String message = e.getMessage();
                    String prefix = s.file() + ": ";
                    return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
                } catch (IOException e) {
                    return "unreadable: " + e;
                }
            }));
        }
        List<ImageSample> usable = new ArrayList<>(samples.size());
        try {
            for (int i = 0; i < samples.size(); i++) {
                String problem = results.get(i).get();
                if (problem == null) {
                    usable.add(samples.get(i));
                } else {
                    skipped.add(new SkippedImage(samples.get(i).file(), problem));
                }
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("decoding failed unexpectedly: " + e.getCause(), e.getCause());
        } finally {
            results.forEach(f -> f.cancel(true));
        }
        return usable;
    }
}
