package io.edgeloop.trainer.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.ParameterStore;
import io.edgeloop.trainer.data.Batch;
import io.edgeloop.trainer.data.BatchLoader;
import io.edgeloop.trainer.data.Dataset;
import io.edgeloop.trainer.data.ImageSample;
import io.edgeloop.trainer.model.ClassifierNetwork;
import io.edgeloop.trainer.model.FineTuneStrategy;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backbone features of the training and validation images, computed once when the backbone is frozen and the
 * images do not change between epochs (HEAD without augmentation); later epochs run only the head. Held in its
 * own sub-manager, closed with this object. Above {@link FineTuner#FEATURE_CACHE_MAX_BYTES} it disables itself.
 */
final class FeatureCache implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FeatureCache.class);

    private final NDManager manager;
    private NDArray train;
    private NDArray validation;
    private boolean disabled;

    FeatureCache(NDManager parent) {
        this.manager = parent.newSubManager();
    }

    /** Caching pays off and is correct only when nothing upstream of the head changes between epochs. */
    static boolean wanted(FitConfig config, FineTuneStrategy strategy, ClassifierNetwork network) {
        return config.featureCache() && strategy == FineTuneStrategy.HEAD && !config.augment()
                && network.backboneFrozen();
    }

    boolean ready() {
        return train != null;
    }

    /** Computes the features unless done already; false when they do not fit (then the caller runs the backbone). */
    boolean ensure(ClassifierNetwork network, ParameterStore store, BatchLoader loader, Dataset data,
                   FitConfig config) {
        if (train != null) {
            return true;
        }
        if (disabled) {
            return false;
        }
        long start = System.nanoTime();
        long total = data.train().size() + (long) data.validation().size();
        train = compute(network, store, loader, data.train(), config.batchSize(), total);
        if (train == null) {
            return false;
        }
        validation = data.validation().isEmpty() ? null
                : compute(network, store, loader, data.validation(), config.batchSize(), total);
        LOG.info("feature cache: {} training + {} validation feature rows of shape {} in {} s",
                data.train().size(), data.validation().size(), train.getShape().slice(1),
                String.format(java.util.Locale.ROOT, "%.2f", (System.nanoTime() - start) / 1e9));
        return true;
    }

    /** The training features of the given rows, in a new array attached to {@code into}. */
    NDArray trainRows(int[] rows, NDManager into) {
        NDArray index = into.create(rows);
        NDArray picked = train.get(new NDIndex("{}", index));
        picked.attach(into);
        return picked;
    }

    Evaluation evaluateValidation(ClassifierNetwork network, ParameterStore store, Dataset data, int batchSize,
                                  Device device) {
        EvaluationAccumulator accumulator = new EvaluationAccumulator(data.labels(), data.validation(), 0);
        int n = data.validation().size();
        for (int from = 0; from < n; from += batchSize) {
            int to = Math.min(n, from + batchSize);
            try (NDManager batchManager = store.getManager().newSubManager(device)) {
                NDArray rows = validation.get(from + ":" + to);
                rows.attach(batchManager);
                NDArray logits = network.forwardHead(store, new NDList(rows), false).singletonOrThrow();
                int[] labels = new int[to - from];
                int[] indices = new int[to - from];
                for (int i = from; i < to; i++) {
                    labels[i - from] = data.validation().get(i).label();
                    indices[i - from] = i;
                }
                accumulator.add(logits.softmax(1).toFloatArray(), labels, indices);
            }
        }
        return accumulator.result();
    }

    private NDArray compute(ClassifierNetwork network, ParameterStore store, BatchLoader loader,
                            List<ImageSample> samples, int batchSize, long totalRows) {
        List<NDArray> parts = new ArrayList<>();
        try (BatchLoader.BatchStream stream = loader.inOrder(samples, batchSize)) {
            while (stream.hasNext()) {
                Batch batch = stream.next();
                try (NDManager batchManager = store.getManager().newSubManager()) {
                    NDArray features = network.forwardBackbone(store, new NDList(batch.images(batchManager)), false)
                            .singletonOrThrow();
                    long bytes = features.size() / batch.size() * 4L * totalRows;
                    if (parts.isEmpty() && bytes > FineTuner.FEATURE_CACHE_MAX_BYTES) {
                        LOG.info("feature cache off: {} MB of features exceed the {} MB cap", bytes >> 20,
                                FineTuner.FEATURE_CACHE_MAX_BYTES >> 20);
                        disabled = true;
                        return null;
                    }
                    features.attach(manager);
                    parts.add(features);
                }
            }
        }
        NDArray all = parts.size() == 1 ? parts.get(0) : NDArrays.concat(new NDList(parts));
        all.attach(manager);
        if (parts.size() > 1) {
            parts.forEach(NDArray::close);
        }
        return all;
    }

    @Override
    public void close() {
        manager.close();
    }
}
