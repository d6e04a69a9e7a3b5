package io.edgeloop.trainer.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.edgeloop.trainer.calibrate.LabelledScores;
import io.edgeloop.trainer.data.Batch;
import io.edgeloop.trainer.data.BatchLoader;
import io.edgeloop.trainer.data.ImageSample;
import io.edgeloop.trainer.model.ClassifierNetwork;
import java.util.List;
import java.util.concurrent.CancellationException;

/**
 * Runs a network in inference mode over labelled images (eval transform) and builds an {@link Evaluation}, and on
 * request keeps the raw logits too (what calibration fits on).
 */
public final class Evaluator {

    private Evaluator() {
    }

    /** An evaluation with the logits it was computed from. */
    public record Scored(Evaluation evaluation, LabelledScores scores) {
    }

    /**
     * Evaluates in batches, each in its own sub-manager of the store's manager.
     *
     * @param worst how many highest-confidence mistakes to keep
     */
    public static Evaluation evaluate(ClassifierNetwork network, ParameterStore store, List<String> labels,
                                      List<ImageSample> samples, BatchLoader loader, int batchSize, int worst,
                                      Device device) {
        return run(network, store, labels, samples, loader, batchSize, worst, device, null).evaluation();
    }

    /** As {@link #evaluate}, keeping every image's logits and true class. */
    public static Scored evaluateWithScores(ClassifierNetwork network, ParameterStore store, List<String> labels,
                                            List<ImageSample> samples, BatchLoader loader, int batchSize,
                                            int worst, Device device) {
        return run(network, store, labels, samples, loader, batchSize, worst, device,
                new LabelledScores.Builder(labels.size()));
    }

    private static Scored run(ClassifierNetwork network, ParameterStore store, List<String> labels,
                              List<ImageSample> samples, BatchLoader loader, int batchSize, int worst, Device device,
                              LabelledScores.Builder scores) {
        EvaluationAccumulator accumulator = new EvaluationAccumulator(labels, samples, worst);
        try (BatchLoader.BatchStream stream = loader.inOrder(samples, batchSize)) {
            while (stream.hasNext()) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new CancellationException("evaluation interrupted");
                }
                Batch batch = stream.next();
                try (NDManager batchManager = store.getManager().newSubManager(device)) {
                    NDArray logits = network.block().forward(store, new NDList(batch.images(batchManager)), false)
                            .singletonOrThrow();
                    accumulator.add(logits.softmax(1).toFloatArray(), batch.labels(), batch.sampleIndices());
                    if (scores != null) {
                        scores.add(logits.toFloatArray(), batch.labels());
                    }
                }
            }
        }
        return new Scored(accumulator.result(), scores == null ? null : scores.build());
    }
}
