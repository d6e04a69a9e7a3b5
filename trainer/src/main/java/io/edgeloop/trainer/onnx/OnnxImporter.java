package io.edgeloop.trainer.onnx;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.onnx.proto.OnnxMl;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports a pretrained ONNX CNN classifier as a trainable {@link OnnxClassifierNetwork}.
 *
 * <pre>{@code
 * try (NDManager manager = NDManager.newBaseManager("PyTorch");
 *      OnnxClassifierNetwork net = OnnxImporter.load(Path.of("mobilenet.onnx"), HeadSpec.auto(5, 42), manager)) {
 *     model.setBlock(net.block()); ...
 * }
 * }</pre>
 */
public final class OnnxImporter {

    private static final Logger LOG = LoggerFactory.getLogger(OnnxImporter.class);
    /** Largest input side accepted: far above any classifier's (224..600), far below what the dry run can hold. */
    static final long MAX_INPUT_SIDE = 8192;
    static final long MAX_INPUT_CHANNELS = 64;

    private OnnxImporter() {
    }

    /** Reads {@code file} and imports it; errors name the file. */
    public static OnnxClassifierNetwork load(Path file, HeadSpec spec, NDManager manager) {
        OnnxMl.ModelProto model = OnnxGraph.read(file);
        try {
            return load(model, spec, manager);
        } catch (OnnxImportException e) {
            throw new OnnxImportException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Imports a model: removes leftover attributes of older opsets ({@link LegacyAttributes}), turns float16 parts
     * into float32 ({@link Float16Widener}: the network trains in float32), resolves initializer aliases and unties
     * shared initializers ({@link InitializerUntier}), gives a static-batch graph a symbolic batch
     * ({@link BatchGeneraliser}), finds or cuts the head, builds the backbone block, measures the feature shape with a
     * dry run and adds a new seeded head (pooling a spatial feature map as {@link HeadSpec#pool()} says). The
     * network's arrays live in a sub-manager of {@code manager}.
     */
    public static OnnxClassifierNetwork load(OnnxMl.ModelProto model, HeadSpec spec, NDManager manager) {
        BasePrecision precision = BasePrecision.of(model);
        OnnxMl.ModelProto widened = Float16Widener.widen(LegacyAttributes.clean(model, OnnxGraph.of(model).opset()));
        if (precision.hasFloat16()) {
            LOG.info("{}", precision.describe());
        }
        OnnxGraph.of(widened).requireImageInput();
        OnnxMl.ModelProto untied = InitializerUntier.untie(widened).model();
        OnnxGraph graph = OnnxGraph.of(BatchGeneraliser.generalise(untied, manager));
        long[] dims = graph.inputDims();
        boolean nhwc = graph.channelsLast();
        long h = nhwc ? dims[1] : dims[2];
        long w = nhwc ? dims[2] : dims[3];
        long c = nhwc ? dims[3] : dims[1];
        if (h <= 0 || w <= 0 || c <= 0) {
            throw new OnnxImportException("graph input '" + graph.inputName() + "' has dims "
                    + java.util.Arrays.toString(dims) + ": channels, height and width must be fixed");
        }
        if (h > MAX_INPUT_SIDE || w > MAX_INPUT_SIDE || c > MAX_INPUT_CHANNELS) {
            throw new OnnxImportException("graph input '" + graph.inputName() + "' has dims "
                    + java.util.Arrays.toString(dims) + ": allowed height and width 1.." + MAX_INPUT_SIDE
                    + " and 1.." + MAX_INPUT_CHANNELS + " channels");
        }
        if (h != w) {
            throw new OnnxImportException("graph input '" + graph.inputName() + "' is " + h + "×" + w
                    + "; only square inputs are supported");
        }
        HeadCut cut = HeadLocator.locate(graph, spec.cutAt());
        NDManager owner = manager.newSubManager();
        try {
            OnnxGraphBlock backbone = new OnnxGraphBlock(graph, List.of(cut.featureTensor()), owner, nhwc);
            Shape input = new Shape(1, c, h, w);
            Shape features = backbone.getOutputShapes(new Shape[] {input})[0];
            if (features.dimension() < 2 || features.get(0) != 1) {
                throw new OnnxImportException("feature tensor '" + cut.featureTensor() + "' has shape " + features
                        + " for a batch of one; expected 1 × features (× …)");
            }
            HeadPool pool = spec.pool().effectiveFor(features);
            LinearHead head = new LinearHead(pool.pooledShape(features).get(1), spec.numClasses(), spec.seed(), owner);
            OnnxClassifierNetwork net = new OnnxClassifierNetwork(graph, cut.withFeatureShape(features), spec, owner,
                    backbone, pool, head, features, (int) h, precision);
            net.block().initialize(owner, DataType.FLOAT32, input);
            return net;
        } catch (RuntimeException e) {
            owner.close();
            throw e;
        }
    }
}
