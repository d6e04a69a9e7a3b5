package io.edgeloop.trainer.job;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.edgeloop.trainer.export.OnnxExporter;
import io.edgeloop.trainer.model.FineTuneStrategy;
import io.edgeloop.trainer.onnx.OnnxClassifierNetwork;
import java.util.Random;

/**
 * The proof that {@code fit} can train a network, short of training it: one optimiser step with every layer
 * trainable (forward in training mode, backward, BatchNorm statistics updated) on two seeded random images at the
 * network's size, then an export of the result. What {@code trainer inspect} reports as "trainable"; an import that
 * succeeds can still fail here (a state tensor that cannot be written, an op without a gradient).
 */
public final class TrialStep {

    /** What the trial showed: the loss of the step and its wall time. */
    public record Outcome(double loss, double seconds) {
    }

    private TrialStep() {
    }

    /**
     * Runs the trial on {@code net}, which it changes (a zero learning rate keeps the weights, but BatchNorm running
     * statistics move): use a network imported for the purpose.
     *
     * @throws RuntimeException whatever training or exporting this network would fail with; a non-finite loss is
     *     reported as an {@link IllegalStateException}
     */
    public static Outcome run(OnnxClassifierNetwork net) {
        long start = System.nanoTime();
        double loss;
        try (Model model = Model.newInstance("trial", "PyTorch")) {
            model.setBlock(net.block());
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0f)).build());
            try (Trainer trainer = model.newTrainer(config);
                 NDManager batch = trainer.getManager().newSubManager()) {
                net.applyStrategy(FineTuneStrategy.FULL, 0);
                int size = net.imageSize();
                Random random = new Random(1);
                float[] pixels = new float[2 * 3 * size * size];
                for (int i = 0; i < pixels.length; i++) {
                    pixels[i] = (float) random.nextGaussian();
                }
                NDArray x = batch.create(pixels, new Shape(2, 3, size, size));
                NDArray y = batch.create(new float[] {0, 1});
                try (GradientCollector gc = trainer.newGradientCollector()) {
                    NDArray logits = trainer.forward(new NDList(x)).singletonOrThrow();
                    NDArray value = trainer.getLoss().evaluate(new NDList(y), new NDList(logits));
                    loss = value.getFloat();
                    if (!Double.isFinite(loss)) {
                        throw new IllegalStateException("the trial step's loss is " + loss + " on random images");
                    }
                    gc.backward(value);
                }
                trainer.step();
            }
        }
        OnnxExporter.export(net);
        return new Outcome(loss, (System.nanoTime() - start) / 1e9);
    }
}
