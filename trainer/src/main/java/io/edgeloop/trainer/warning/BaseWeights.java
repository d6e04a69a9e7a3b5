package io.edgeloop.trainer.warning;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import io.edgeloop.protocol.model.ModelCard;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a base model's weights are still a random initialisation, from three independent kinds of evidence:
 * <ol>
 *   <li>the marker {@code trainer init} writes ({@value #MARKER_KEY} = {@value #RANDOM_INIT} in the ONNX metadata,
 *       or the same note in a model card's {@code notes});</li>
 *   <li>BatchNorm running statistics still at their defaults (mean exactly 0, variance exactly 1) in every
 *       BatchNormalization node: any forward pass in training mode moves them;</li>
 *   <li>{@link SpatialCorrelation}: neighbouring kernel taps uncorrelated, as independent random draws are.</li>
 * </ol>
 * Thresholds, measured on this project's models ({@code trainer/src/test/python/measure_weight_statistics.py}):
 * the random torchvision-style fixtures in {@code src/test/resources/onnx/arch} (BatchNorm kept with randomised
 * statistics or folded into the convolutions; Kaiming-normal, uniform and truncated-normal inits) have a pooled
 * adjacent-tap z between −1.2 and +1.7 (r −0.036 to +0.025; 33 of 34 files have enough pairs), {@code trainer init}
 * graphs (simplecnn, resnet18, mobilenetv2 at several widths and seeds) between −1.5 and +2.6, as expected of a
 * standard-normal z; the committed base {@code models/base/model.onnx}, trained for one epoch on Fashion-MNIST,
 * has r = 0.190 over 129,600 pairs, z = 68.5 (every layer positive, r 0.06 to 0.23). Random is called below
 * z = {@value #MAX_RANDOM_Z} (P(z ≥ 5) ≈ 3·10⁻⁷ for random taps; 14× below the trained base), and only with at
 * least {@value #MIN_PAIRS} pairs (fewer cannot tell). Weight kurtosis, the other obvious statistic, does not
 * separate them: the trained base's median per-layer excess kurtosis is +0.10, a Kaiming-normal init's 0.0, and
 * random fixtures with BatchNorm folded in reach +1.2 (a per-channel scale mixture), so it is not used.
 *
 * @param marker          the metadata or card says the weights are a random initialisation
 * @param batchNorms      BatchNormalization nodes whose running statistics are initializers
 * @param batchNormsFresh of those, the ones still at mean 0 and variance 1 exactly
 * @param spatial         adjacent-tap correlation of the k×k convolution kernels
 */
public record BaseWeights(boolean marker, int batchNorms, int batchNormsFresh, SpatialCorrelation spatial) {

    /** ONNX metadata key (and card note) that says how the weights came about. */
    public static final String MARKER_KEY = "edgeloop.weights";
    /** The card note with the same meaning as {@link #MARKER_KEY}. */
    public static final String NOTE_KEY = "weights";
    /** The marker's value for weights that were never trained. */
    public static final String RANDOM_INIT = "random-init";
    /** Below this adjacent-tap z the kernels look like independent random draws. */
    public static final double MAX_RANDOM_Z = 5.0;
    /** Fewer adjacent pairs than this are too few to judge. */
    public static final long MIN_PAIRS = 1000;

    /** Measures the model. */
    public static BaseWeights of(ModelProto model, Optional<ModelCard> card) {
        boolean marker = model.getMetadataPropsList().stream()
                .anyMatch(p -> p.getKey().equals(MARKER_KEY) && p.getValue().equals(RANDOM_INIT))
                || card.map(c -> RANDOM_INIT.equals(c.notes().get(NOTE_KEY))).orElse(false);
        Map<String, TensorProto> initializers = new HashMap<>();
        model.getGraph().getInitializerList().forEach(t -> initializers.put(t.getName(), t));
        Map<String, String> identities = new HashMap<>();
        for (NodeProto n : model.getGraph().getNodeList()) {
            if (n.getOpType().equals("Identity") && n.getInputCount() == 1 && n.getOutputCount() == 1) {
                identities.put(n.getOutput(0), n.getInput(0));
            }
        }
        int batchNorms = 0;
        int fresh = 0;
        SpatialCorrelation spatial = SpatialCorrelation.NONE;
        for (NodeProto n : model.getGraph().getNodeList()) {
            if (n.getOpType().equals("BatchNormalization") && n.getInputCount() >= 5) {
                Optional<float[]> mean = floats(resolve(n.getInput(3), identities, initializers));
                Optional<float[]> variance = floats(resolve(n.getInput(4), identities, initializers));
                if (mean.isPresent() && variance.isPresent()) {
                    batchNorms++;
                    if (all(mean.get(), 0f) && all(variance.get(), 1f)) {
                        fresh++;
                    }
                }
            } else if (n.getOpType().equals("Conv") && n.getInputCount() >= 2) {
                TensorProto w = resolve(n.getInput(1), identities, initializers);
                Optional<float[]> values = floats(w);
                if (values.isPresent() && w.getDimsCount() == 4 && w.getDims(2) >= 2 && w.getDims(3) >= 2) {
                    long[] shape = w.getDimsList().stream().mapToLong(Long::longValue).toArray();
                    spatial = spatial.plus(SpatialCorrelation.ofLayer(values.get(), shape));
                }
            }
        }
        return new BaseWeights(marker, batchNorms, fresh, spatial);
    }

    /** Whether the kernels were measured on enough pairs to judge. */
    public boolean spatialJudged() {
        return spatial.pairs() >= MIN_PAIRS;
    }

    /** Whether any evidence says the weights are random. */
    public boolean looksRandom() {
        return !evidence().isEmpty();
    }

    /** The evidence of a random initialisation, one phrase each; empty when none was found. */
    public List<String> evidence() {
        List<String> found = new ArrayList<>();
        if (marker) {
            found.add("it is marked " + MARKER_KEY + " = " + RANDOM_INIT + " (as 'trainer init' and"
                    + " 'export-torchvision-base.py --weights none' write it)");
        }
        if (batchNorms > 0 && batchNormsFresh == batchNorms) {
            found.add("all " + batchNorms + " BatchNorm layers still have their initial running statistics"
                    + " (mean 0, variance 1), which any training changes");
        }
        if (spatialJudged() && spatial.z() < MAX_RANDOM_Z) {
            found.add(String.format(Locale.ROOT, "its convolution kernels are unstructured noise (neighbouring"
                    + " taps correlate %.3f over %,d pairs, z = %.1f; trained kernels are smooth, z > %.0f)",
                    spatial.r(), spatial.pairs(), spatial.z(), MAX_RANDOM_Z));
        }
        return found;
    }

    private static TensorProto resolve(String name, Map<String, String> identities,
                                       Map<String, TensorProto> initializers) {
        String current = name;
        for (int hops = 0; hops < 16 && !initializers.containsKey(current) && identities.containsKey(current);
             hops++) {
            current = identities.get(current);
        }
        return initializers.get(current);
    }

    /** A float32 initializer's values; empty for other types, external data or a missing tensor. */
    static Optional<float[]> floats(TensorProto t) {
        if (t == null || t.getDataType() != TensorProto.DataType.FLOAT_VALUE
                || t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            return Optional.empty();
        }
        if (!t.getRawData().isEmpty()) {
            FloatBuffer buffer = ByteBuffer.wrap(t.getRawData().toByteArray()).order(ByteOrder.LITTLE_ENDIAN)
                    .asFloatBuffer();
            float[] values = new float[buffer.remaining()];
            buffer.get(values);
            return Optional.of(values);
        }
        float[] values = new float[t.getFloatDataCount()];
        for (int i = 0; i < values.length; i++) {
            values[i] = t.getFloatData(i);
        }
        return Optional.of(values);
    }

    private static boolean all(float[] values, float expected) {
        if (values.length == 0) {
            return false;
        }
        for (float v : values) {
            if (v != expected) {
                return false;
            }
        }
        return true;
    }
}
