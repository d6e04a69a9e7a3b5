package io.edgeloop.trainer.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

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
import io.edgeloop.trainer.model.FineTuneStrategy;
import io.edgeloop.trainer.onnx.OnnxClassifierNetwork;
import java.util.Random;
import java.util.function.Consumer;

/** A few plain training steps on an imported network, for tests that need trained (changed) weights. */
public final class TrainingSteps {

    private TrainingSteps() {
    }

    /**
     * SGD steps (learning rate 0.01) through DJL's Trainer on seeded random batches of four images at the network's
     * own size, labels 0, 1, 2, 1; the strategy is applied after the Trainer is made. Fails if a loss is not finite.
     */
    public static void sgd(OnnxClassifierNetwork net, FineTuneStrategy strategy, int steps) {
        sgd(net, n -> n.applyStrategy(strategy, 0.5), steps, 0.01f, 3);
    }

    /**
     * The same steps with any freezing (applied after the Trainer is made), learning rate and batch seed, e.g.
     * {@code n -> n.applyPartial(node)} as {@code --freeze NODE} does it.
     */
    public static void sgd(OnnxClassifierNetwork net, Consumer<OnnxClassifierNetwork> freeze, int steps,
                           float learningRate, long seed) {
        Random random = new Random(seed);
        try (Model model = Model.newInstance("steps", "PyTorch")) {
            model.setBlock(net.block());
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(learningRate)).build());
            try (Trainer trainer = model.newTrainer(config)) {
                freeze.accept(net);
                int size = net.imageSize();
                for (int s = 0; s < steps; s++) {
                    try (NDManager batch = trainer.getManager().newSubManager()) {
                        float[] img = new float[4 * 3 * size * size];
                        for (int i = 0; i < img.length; i++) {
                            img[i] = (float) random.nextGaussian();
                        }
                        NDArray x = batch.create(img, new Shape(4, 3, size, size));
                        NDArray y = batch.create(new float[] {0, 1, 2, 1});
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            NDArray logits = trainer.forward(new NDList(x)).singletonOrThrow();
                            NDArray loss = trainer.getLoss().evaluate(new NDList(y), new NDList(logits));
                            assertTrue(Float.isFinite(loss.getFloat()), "loss " + loss.getFloat());
                            gc.backward(loss);
                        }
                        trainer.step();
                    }
                }
            }
        }
    }
}
