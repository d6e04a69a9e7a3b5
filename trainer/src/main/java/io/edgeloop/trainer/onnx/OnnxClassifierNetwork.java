package io.edgeloop.trainer.onnx;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import io.edgeloop.trainer.model.ClassifierNetwork;
import io.edgeloop.trainer.model.FineTuneStrategy;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@link ClassifierNetwork} over an imported ONNX graph: the graph up to the feature tensor is the backbone (its
 * initializers are the backbone's parameters), a {@link LinearHead} maps the features to the new classes, after
 * pooling them ({@link HeadPool}) when they are a spatial map. Owns the native memory of its parameters: close it
 * when done.
 *
 * <p>The pooling has no parameters, so {@link #forwardBackbone} returns pooled features: what a feature cache keeps
 * is C values per image, not C·H·W.
 *
 * <p>Freezing works per graph node: a frozen node's parameters get no gradient and the node runs in inference mode
 * even in a training pass (BatchNorm uses and keeps its running statistics, Dropout is off).
 */
public final class OnnxClassifierNetwork implements ClassifierNetwork, AutoCloseable {

    private final OnnxGraph graph;
    private final HeadCut cut;
    private final HeadSpec spec;
    private final NDManager manager;
    private final OnnxGraphBlock backbone;
    private final HeadPool pool;
    private final LinearHead head;
    private final ClassifierBlock block;
    private final Shape featureShape;
    private final int imageSize;
    private final BasePrecision basePrecision;
    private FineTuneStrategy strategy = FineTuneStrategy.FULL;

    OnnxClassifierNetwork(OnnxGraph graph, HeadCut cut, HeadSpec spec, NDManager manager, OnnxGraphBlock backbone,
            HeadPool pool, LinearHead head, Shape featureShape, int imageSize, BasePrecision basePrecision) {
        this.graph = graph;
        this.cut = cut;
        this.spec = spec;
        this.manager = manager;
        this.backbone = backbone;
        this.pool = pool;
        this.head = head;
        this.featureShape = featureShape;
        this.imageSize = imageSize;
        this.basePrecision = basePrecision;
        this.block = new ClassifierBlock(backbone, pool, head, featureShape);
    }

    @Override
    public Block block() {
        return block;
    }

    @Override
    public int numClasses() {
        return head.numClasses();
    }

    @Override
    public int imageSize() {
        return imageSize;
    }

    @Override
    public void applyStrategy(FineTuneStrategy strategy, double freezeFraction) {
        switch (strategy) {
            case HEAD:
                freezeBefore(Integer.MAX_VALUE);
                break;
            case PARTIAL:
                if (!(freezeFraction >= 0 && freezeFraction <= 1)) {
                    throw new IllegalArgumentException("freezeFraction is " + freezeFraction
                            + ", must be between 0 and 1");
                }
                List<OnnxNode> layers = weightLayers();
                int frozen = (int) Math.round(freezeFraction * layers.size());
                freezeBefore(frozen >= layers.size() ? Integer.MAX_VALUE : layers.get(frozen).index());
                break;
            case FULL:
                freezeBefore(-1);
                break;
            case SCRATCH:
                WeightInitialiser.reinitialise(backbone, spec.seed() + 1);
                head.reset(spec.seed());
                freezeBefore(-1);
                break;
            default:
                throw new IllegalArgumentException("strategy " + strategy
                        + " cannot be applied; resolve AUTO to HEAD, PARTIAL or FULL first");
        }
        this.strategy = strategy;
    }

    /**
     * PARTIAL by node name: every backbone node before {@code firstTrainableNode} (in graph order) is frozen, it and
     * everything after train.
     */
    public void applyPartial(String firstTrainableNode) {
        OnnxNode node = graph.node(firstTrainableNode);
        if (backbone.nodes().stream().noneMatch(n -> n.index() == node.index())) {
            throw new IllegalArgumentException("node '" + firstTrainableNode + "' is not part of the backbone");
        }
        freezeBefore(node.index());
        this.strategy = FineTuneStrategy.PARTIAL;
    }

    /** Freezes the backbone nodes with graph index below {@code firstTrainable}; everything else trains. */
    private void freezeBefore(int firstTrainable) {
        Set<Integer> inference = new HashSet<>();
        for (OnnxNode n : backbone.nodes()) {
            if (n.index() < firstTrainable) {
                inference.add(n.index());
            }
        }
        backbone.setInferenceNodes(inference);
        for (Map.Entry<String, Parameter> e : backbone.parametersByInitializer().entrySet()) {
            Parameter p = e.getValue();
            boolean stat = p.getType() == Parameter.Type.RUNNING_MEAN || p.getType() == Parameter.Type.RUNNING_VAR;
            boolean frozen = stat;
            if (!stat) {
                frozen = true;
                for (OnnxNode n : backbone.nodes()) {
                    if (n.inputs().contains(e.getKey()) && n.index() >= firstTrainable) {
                        frozen = false;
                        break;
                    }
                }
            }
            p.freeze(frozen);
        }
        head.weight().freeze(false);
        head.bias().freeze(false);
    }

    /** Backbone Conv/Gemm/MatMul nodes with a weight parameter, in graph order (what PARTIAL's fraction counts). */
    public List<OnnxNode> weightLayers() {
        List<OnnxNode> list = new ArrayList<>();
        for (OnnxNode n : backbone.nodes()) {
            if (ParameterRoles.isWeightLayer(n, backbone)) {
                list.add(n);
            }
        }
        return list;
    }

    @Override
    public List<Parameter> headParameters() {
        return List.of(head.weight(), head.bias());
    }

    @Override
    public boolean backboneFrozen() {
        for (Parameter p : backbone.parametersByInitializer().values()) {
            if (p.requiresGradient()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public NDList forwardBackbone(ParameterStore store, NDList images, boolean training) {
        NDList features = backbone.forward(store, images, training && !backboneFrozen(), null);
        return new NDList(pool.apply(features.singletonOrThrow()));
    }

    @Override
    public NDList forwardHead(ParameterStore store, NDList features, boolean training) {
        return head.forward(store, features, training, null);
    }

    /** The strategy applied last (FULL until one is applied). */
    public FineTuneStrategy strategy() {
        return strategy;
    }

    /** How much of the base file was float16 (the network and its export are float32 throughout). */
    public BasePrecision basePrecision() {
        return basePrecision;
    }

    /** The imported graph. */
    public OnnxGraph graph() {
        return graph;
    }

    /** Where the old head was cut. */
    public HeadCut headCut() {
        return cut;
    }

    /** The backbone block (graph up to the features). */
    public OnnxGraphBlock backbone() {
        return backbone;
    }

    /** The new head. */
    public LinearHead head() {
        return head;
    }

    /** Shape of the feature tensor (the backbone's output) for a batch of one, e.g. (1, 1280) or (1, 512, 13, 13). */
    public Shape featureShape() {
        return featureShape;
    }

    /** Number of features the head's linear layer consumes: C for a pooled map, C·H·W flattened, F for N × F. */
    public long featureSize() {
        return head.features();
    }

    /**
     * How the head reduces the feature tensor: the requested pooling for a spatial map, {@link HeadPool#FLATTEN}
     * otherwise (a no-op for N × F features).
     */
    public HeadPool headPool() {
        return pool;
    }

    /**
     * What the new head is, e.g. "global average pool [N, 512, 13, 13] → 512, linear 512 → 3 classes" or
     * "linear 1280 → 3 classes".
     */
    public String headDescription() {
        return headDescription(head.numClasses() + " classes");
    }

    /** {@link #headDescription()} with the classes worded by the caller, e.g. "k classes" for {@code inspect}. */
    public String headDescription(String classes) {
        String linear = "linear " + head.features() + " → " + classes;
        if (featureShape.dimension() == 2) {
            return linear;
        }
        return pool.label() + " " + cut.featureShape() + " → " + head.features() + ", " + linear;
    }

    /** True when the graph takes N×H×W×C images (the network itself takes N×C×H×W and transposes). */
    public boolean channelsLast() {
        return graph.channelsLast();
    }

    @Override
    public void close() {
        manager.close();
    }
}
