package io.edgeloop.trainer.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.SplittableRandom;

/**
 * The new classifier head: features (flattened to N × F when they have more dims) to logits N × classes, a linear
 * layer initialised like {@code torch.nn.Linear} (weights and bias uniform in ±1/√F), seeded.
 */
public final class LinearHead extends AbstractBlock {

    /** Initializer name of the head's weight in exported graphs. */
    public static final String WEIGHT = "edgeloop_head.weight";
    /** Initializer name of the head's bias in exported graphs. */
    public static final String BIAS = "edgeloop_head.bias";

    private final int numClasses;
    private final long features;
    private final Parameter weight;
    private final Parameter bias;

    /** Creates the head's parameters on {@code manager}. */
    public LinearHead(long features, int numClasses, long seed, NDManager manager) {
        this.numClasses = numClasses;
        this.features = features;
        // zeros() memory belongs to libtorch, unlike create(float[]) which wraps a Java buffer
        this.weight = addParameter(Parameter.builder().setName(WEIGHT).setType(Parameter.Type.WEIGHT)
                .optArray(manager.zeros(new Shape(numClasses, features))).build());
        this.bias = addParameter(Parameter.builder().setName(BIAS).setType(Parameter.Type.BIAS)
                .optArray(manager.zeros(new Shape(numClasses))).build());
        reset(seed);
    }

    /** Re-draws the weights and bias uniform in ±1/√F from {@code seed}. */
    public void reset(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double bound = 1.0 / Math.sqrt(features);
        float[] w = new float[numClasses * (int) features];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
        }
        float[] b = new float[numClasses];
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
        }
        weight.getArray().set(w);
        bias.getArray().set(b);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        if (x.getShape().dimension() != 2) {
            x = x.reshape(x.getShape().get(0), -1);
        }
        if (x.getShape().get(1) != features) {
            throw new IllegalArgumentException("head expects " + features + " features, got shape "
                    + inputs.singletonOrThrow().getShape());
        }
        NDArray w = store.getValue(weight, x.getDevice(), training);
        NDArray b = store.getValue(bias, x.getDevice(), training);
        return Linear.linear(x, w, b);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), numClasses)};
    }

    /** The weight parameter, classes × features. */
    public Parameter weight() {
        return weight;
    }

    /** The bias parameter, classes. */
    public Parameter bias() {
        return bias;
    }

    /** Number of input features. */
    public long features() {
        return features;
    }

    /** Number of classes. */
    public int numClasses() {
        return numClasses;
    }
}
