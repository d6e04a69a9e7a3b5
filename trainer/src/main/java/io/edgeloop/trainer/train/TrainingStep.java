package io.edgeloop.trainer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.Locale;
import java.util.Optional;

/**
 * One optimiser step on a batch: forward and backward on the primary device or split over several
 * ({@link DataParallelStep}), the guard against a non-finite loss (checked before backward, so a diverged batch
 * updates nothing), then the grouped optimiser's update. One instance per epoch, since whether the input is images
 * or cached backbone features can change between epochs.
 */
final class TrainingStep {

    /**
     * What a step computed.
     *
     * @param loss   the batch's loss
     * @param logits the batch's logits, row-major {@code n × classes}
     */
    record Result(float loss, float[] logits) {
    }

    private final TrainingContext context;
    private final Optional<DataParallelStep> parallel;
    /** Training-mode logits: the head alone on cached features, else the whole network on images. */
    private final DataParallelStep.Forward forward;

    /**
     * @param parallel present with more than one device
     * @param cached   the inputs are cached backbone features rather than images
     */
    TrainingStep(TrainingContext context, Optional<DataParallelStep> parallel, boolean cached) {
        this.context = context;
        this.parallel = parallel;
        this.forward = cached
                ? (s, x) -> context.network().forwardHead(s, new NDList(x), true).singletonOrThrow()
                : (s, x) -> context.network().block().forward(s, new NDList(x), true).singletonOrThrow();
    }

    /**
     * Trains on one batch.
     *
     * @param input        the batch, attached to the step's sub-manager (the step's own arrays go there too)
     * @param labels       its class indices
     * @param learningRate the base rate of this step
     * @param epoch        for the message of a non-finite loss, with {@code step}
     * @throws NonFiniteLossException when the loss is NaN or infinite; the parameters are left as they were
     */
    Result run(NDArray input, int[] labels, double learningRate, int epoch, int step) {
        ParameterStore store = context.parameters().store();
        Result result;
        if (parallel.isEmpty()) {
            NDArray labelArray = input.getManager().create(labels);
            try (GradientCollector collector = store.getManager().getEngine().newGradientCollector()) {
                NDArray logits = forward.logits(store, input);
                NDArray loss = context.loss().compute(logits, labelArray);
                float value = loss.getFloat();
                requireFinite(value, learningRate, epoch, step);
                collector.backward(loss);
                result = new Result(value, logits.toFloatArray());
            }
        } else {
            DataParallelStep.Result r = parallel.get().forwardBackward(store, input, labels, context.loss(), forward);
            requireFinite(r.loss(), learningRate, epoch, step); // before the optimiser step: no update
            result = new Result(r.loss(), r.logits());
        }
        context.optimizer().step(context.trainable(), learningRate);
        return result;
    }

    private static void requireFinite(float loss, double learningRate, int epoch, int step) {
        if (!Float.isFinite(loss)) {
            throw new NonFiniteLossException("loss became " + loss + " at epoch " + epoch + " step " + step
                    + "; lower the learning rate (now " + String.format(Locale.ROOT, "%.4f", learningRate)
                    + ", --lr) or check the images of this batch");
        }
    }
}
