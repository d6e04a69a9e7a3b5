package io.edgeloop.trainer.testing;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.edgeloop.trainer.model.ClassifierNetwork;
import io.edgeloop.trainer.model.FineTuneStrategy;
import java.util.ArrayList;
import java.util.List;

/**
 * A real, small {@link ClassifierNetwork} from DJL layers for the trainer's tests: three Conv2d+BatchNorm+ReLU
 * stages (backbone), global average pooling, and a Linear head. Frozen stages run in inference mode, so their
 * BatchNorm statistics stay fixed, as the contract demands.
 */
public final class TinyConvNetwork implements ClassifierNetwork {

    private final int numClasses;
    private final int imageSize;
    private final List<SequentialBlock> stages = new ArrayList<>();
    private final Linear head;
    private final boolean[] frozen;
    private final Net block;

    private TinyConvNetwork(int numClasses, int imageSize) {
        this.numClasses = numClasses;
        this.imageSize = imageSize;
        int[] channels = {8, 16, 16};
        for (int c : channels) {
            stages.add(new SequentialBlock()
                    .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1))
                            .optStride(new Shape(2, 2)).setFilters(c).build())
                    .add(BatchNorm.builder().build())
                    .add(Activation.reluBlock()));
        }
        this.frozen = new boolean[stages.size()];
        this.head = Linear.builder().setUnits(numClasses).build();
        this.block = new Net();
    }

    /** An initialised network (weights from the engine's RNG seeded with {@code seed}). */
    public static TinyConvNetwork create(NDManager manager, int numClasses, int imageSize, int seed) {
        TinyConvNetwork net = new TinyConvNetwork(numClasses, imageSize);
        Engine.getInstance().setRandomSeed(seed);
        net.block.initialize(manager, DataType.FLOAT32, new Shape(1, 3, imageSize, imageSize));
        return net;
    }

    @Override
    public Block block() {
        return block;
    }

    @Override
    public int numClasses() {
        return numClasses;
    }

    @Override
    public int imageSize() {
        return imageSize;
    }

    @Override
    public void applyStrategy(FineTuneStrategy strategy, double freezeFraction) {
        int frozenCount = switch (strategy) {
            case HEAD -> stages.size();
            case PARTIAL -> (int) Math.round(freezeFraction * stages.size());
            case FULL, SCRATCH -> 0;
            case AUTO -> throw new IllegalArgumentException("strategy AUTO must be resolved before applyStrategy");
        };
        for (int i = 0; i < stages.size(); i++) {
            frozen[i] = i < frozenCount;
            stages.get(i).freezeParameters(frozen[i], TinyConvNetwork::isWeight);
        }
        head.freezeParameters(false);
    }

    /** BatchNorm running statistics never take gradients (DJL's unfreeze would flag them too). */
    private static boolean isWeight(Parameter p) {
        return p.getType() != Parameter.Type.RUNNING_MEAN && p.getType() != Parameter.Type.RUNNING_VAR;
    }

    @Override
    public List<Parameter> headParameters() {
        List<Parameter> result = new ArrayList<>();
        head.getParameters().forEach(p -> result.add(p.getValue()));
        return result;
    }

    @Override
    public boolean backboneFrozen() {
        for (boolean f : frozen) {
            if (!f) {
                return false;
            }
        }
        return true;
    }

    @Override
    public NDList forwardBackbone(ParameterStore store, NDList images, boolean training) {
        NDList x = images;
        for (int i = 0; i < stages.size(); i++) {
            x = stages.get(i).forward(store, x, training && !frozen[i]);
        }
        NDArray pooled = x.singletonOrThrow().mean(new int[] {3}).mean(new int[] {2});
        return new NDList(pooled);
    }

    @Override
    public NDList forwardHead(ParameterStore store, NDList features, boolean training) {
        return head.forward(store, features, training);
    }

    /** The whole network as one block (backbone then head). */
    private final class Net extends AbstractBlock {

        Net() {
            for (int i = 0; i < stages.size(); i++) {
                addChildBlock("stage" + i, stages.get(i));
            }
            addChildBlock("head", head);
        }

        @Override
        protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                         PairList<String, Object> params) {
            return forwardHead(store, forwardBackbone(store, inputs, training), training);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[] {new Shape(inputShapes[0].get(0), numClasses)};
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            Shape shape = inputShapes[0];
            for (SequentialBlock stage : stages) {
                stage.initialize(manager, dataType, shape);
                shape = stage.getOutputShapes(new Shape[] {shape})[0];
            }
            head.initialize(manager, dataType, new Shape(shape.get(0), shape.get(1)));
        }
    }
}
