package io.edgeloop.trainer.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.edgeloop.trainer.onnx.HeadSpec;
import io.edgeloop.trainer.onnx.OnnxClassifierNetwork;
import io.edgeloop.trainer.onnx.OnnxImporter;
import io.edgeloop.trainer.train.AdamwKernel;
import io.edgeloop.trainer.train.ClassificationLoss;
import io.edgeloop.trainer.train.FitConfig;
import io.edgeloop.trainer.train.GroupedOptimizer;
import io.edgeloop.trainer.train.TrainableParameter;
import io.edgeloop.trainer.train.TrainableParameters;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One strategy's training in the edgeloop trainer: an imported network, its optimiser and loss, and the training
 * step of {@code TrainingStep} (per-batch sub-manager, images created from a direct buffer, forward under a
 * gradient collector, loss, loss value read, backward, logits read for the accuracy, {@link GroupedOptimizer}
 * update with the given AdamW kernel), with the trainer's own parameter selection ({@link TrainableParameters}).
 * Owns its native memory.
 */
final class JavaTrainingRun implements AutoCloseable {

    private final BenchStrategy strategy;
    private final FitConfig config;
    private final NDManager manager;
    private final OnnxClassifierNetwork network;
    private final GroupedOptimizer optimizer;
    private final ClassificationLoss loss;
    private final List<TrainableParameter> trainable;
    private final ParameterStore store;
    private final FloatBuffer pixels;
    private final Shape imageShape;
    private final int[] labels;
    private final NDArray features;
    private final Device device;
    /** The last step's phase durations in seconds (Series.PHASES). */
    private final double[] phases = new double[Series.PHASES.size()];

    JavaTrainingRun(BenchStrategy strategy, AdamwKernel kernel, Path onnx, HeadSpec head, FitConfig config,
            FloatBuffer pixels, Shape imageShape, int[] labels, NDManager parent) {
        this.strategy = strategy;
        this.config = config;
        this.pixels = pixels;
        this.imageShape = imageShape;
        this.labels = labels.clone();
        this.manager = parent.newSubManager();
        try {
            this.network = OnnxImporter.load(onnx, head, manager);
            network.applyStrategy(strategy.strategy(), config.freezeFraction());
            this.trainable = TrainableParameters.select(network, strategy.strategy(), config.backboneLrFactor());
            TrainableParameters.syncGradientFlags(network);
            this.device = trainable.get(0).parameter().getArray().getDevice();
            this.loss = new ClassificationLoss(network.numClasses(), config.labelSmoothing(), Optional.empty());
            this.optimizer = new GroupedOptimizer(config, manager, kernel);
            this.store = new ParameterStore(manager, false);
            this.features = strategy.cachedFeatures() ? backboneFeatures() : null;
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** As FeatureCache computes them: the backbone in inference mode, kept in the run's manager. */
    private NDArray backboneFeatures() {
        try (NDManager batchManager = manager.newSubManager(device)) {
            NDArray images = batchManager.create(pixels.duplicate().rewind(), imageShape);
            NDArray f = network.forwardBackbone(store, new NDList(images), false).singletonOrThrow();
            f.attach(manager);
            return f;
        }
    }

    /** One training step at learning rate {@code lr}; returns the loss. */
    float step(double lr) {
        float lossValue;
        long start = System.nanoTime();
        long forward;
        long backward;
        long end;
        try (NDManager batchManager = store.getManager().newSubManager(device)) {
            NDArray input;
            if (features != null) {
                int[] rows = new int[labels.length];
                for (int i = 0; i < rows.length; i++) {
                    rows[i] = i;
                }
                // FeatureCache.trainRows: the batch's rows gathered into a new array
                NDArray picked = features.get(new NDIndex("{}", batchManager.create(rows)));
                picked.attach(batchManager);
                input = picked;
            } else {
                input = batchManager.create(pixels.duplicate().rewind(), imageShape);
            }
            NDArray labelArray = batchManager.create(labels);
            try (GradientCollector collector = store.getManager().getEngine().newGradientCollector()) {
                NDArray out = features != null
                        ? network.forwardHead(store, new NDList(input), true).singletonOrThrow()
                        : network.block().forward(store, new NDList(input), true).singletonOrThrow();
                NDArray l = loss.compute(out, labelArray);
                lossValue = l.getFloat();
                if (!Float.isFinite(lossValue)) {
                    throw new IllegalStateException(strategy.id() + ": loss became " + lossValue);
                }
                forward = System.nanoTime();
                collector.backward(l);
                out.toFloatArray();
            }
            backward = System.nanoTime();
            optimizer.step(trainable, lr);
            end = System.nanoTime();
        }
        phases[0] = (forward - start) / 1e9;
        phases[1] = (backward - forward) / 1e9;
        phases[2] = (end - backward) / 1e9;
        return lossValue;
    }

    /** Phase durations of the last step in seconds, in the order of {@link Series#PHASES}. */
    double[] lastPhases() {
        return phases.clone();
    }

    BenchStrategy strategy() {
        return strategy;
    }

    FitConfig config() {
        return config;
    }

    /** Number of parameter tensors the optimiser updates. */
    int trainableTensors() {
        return trainable.size();
    }

    /** Number of scalar parameters the optimiser updates. */
    long trainableScalars() {
        return trainable.stream().mapToLong(t -> t.parameter().getArray().size()).sum();
    }

    /** The network (for the head weights the Python side must start from). */
    OnnxClassifierNetwork network() {
        return network;
    }


    @Override
    public void close() {
        manager.close();
    }
}
