package io.edgeloop.agent.config;

import io.edgeloop.agent.inference.Optimization;
import io.edgeloop.agent.inference.SessionSettings;
import io.edgeloop.protocol.preprocess.DecodeLimits;
import java.util.HashMap;
import java.util.Map;

/**
 * How the shared ONNX Runtime session runs and how scores become a decision.
 *
 * @param intraOpThreads  ORT intra-op threads (1..64, default 1)
 * @param optimization    ORT graph optimisation level (default all)
 * @param spinWait        whether ORT's intra-op threads spin while idle (default false: leave the cores to the
 *                        cameras' decoding; see {@link SessionSettings#spinWait()})
 * @param topK            how many classes each event lists (1..100, default 3)
 * @param minConfidence   below this top-1 probability the label is {@code unknown} (0..1, default 0)
 * @param classThresholds per-class minimum probability overriding {@code minConfidence} and the model card's
 *                        threshold for that class (label → 0..1)
 * @param modelThresholds whether the per-class thresholds in the model card apply (default true); false leaves only
 *                        {@code minConfidence} and {@code classThresholds}
 * @param decodeMemoryBytes heap one frame's decode may take (raster, RGB copy, resample scratch: see
 *                        {@link DecodeLimits}), checked from the frame's header before decoding; null: a quarter of
 *                        the JVM's maximum heap ({@code -Xmx}); allowed {@value #MIN_DECODE_MEMORY} and up
 */
public record InferenceConfig(
        Integer intraOpThreads,
        Optimization optimization,
        Boolean spinWait,
        Integer topK,
        Double minConfidence,
        Map<String, Double> classThresholds,
        Boolean modelThresholds,
        Long decodeMemoryBytes) {

    /** The smallest decode memory budget accepted: 1 MiB (a 320×240 frame needs about 0.8 MB). */
    public static final long MIN_DECODE_MEMORY = 1L << 20;

    public static final InferenceConfig DEFAULT = new InferenceConfig(null, null, null, null, null, null, null);

    public InferenceConfig {
        intraOpThreads = ConfigValues.intRange("intraOpThreads", intraOpThreads, 1, 1, 64);
        optimization = optimization == null ? Optimization.ALL : optimization;
        spinWait = spinWait != null && spinWait;
        topK = ConfigValues.intRange("topK", topK, 3, 1, 100);
        minConfidence = ConfigValues.doubleRange("minConfidence", minConfidence, 0.0, 0.0, 1.0);
        classThresholds = classThresholds == null ? Map.of() : Map.copyOf(classThresholds);
        for (var e : classThresholds.entrySet()) {
            ConfigValues.doubleRange("classThresholds." + e.getKey(), e.getValue(), 0.0, 0.0, 1.0);
        }
        modelThresholds = modelThresholds == null || modelThresholds;
        if (decodeMemoryBytes != null && decodeMemoryBytes < MIN_DECODE_MEMORY) {
            throw new IllegalArgumentException("decodeMemoryBytes is " + decodeMemoryBytes + ", allowed at least "
                    + MIN_DECODE_MEMORY + " (1 MiB)");
        }
    }

    /** The settings as before {@code decodeMemoryBytes} existed: the heap-derived decode budget. */
    public InferenceConfig(Integer intraOpThreads, Optimization optimization, Boolean spinWait, Integer topK,
            Double minConfidence, Map<String, Double> classThresholds, Boolean modelThresholds) {
        this(intraOpThreads, optimization, spinWait, topK, minConfidence, classThresholds, modelThresholds, null);
    }

    /** The decode limits for camera frames: the defaults with {@code decodeMemoryBytes} when it is set. */
    public DecodeLimits decodeLimits() {
        DecodeLimits limits = DecodeLimits.DEFAULT;
        return decodeMemoryBytes == null
                ? limits.withMaxDecodeMemory(limits.maxDecodeMemory(), limits.memorySource()
                        + "; set by inference.decodeMemoryBytes")
                : limits.withMaxDecodeMemory(decodeMemoryBytes, "inference.decodeMemoryBytes");
    }

    /** The settings as before {@code modelThresholds} existed: the model card's thresholds apply. */
    public InferenceConfig(Integer intraOpThreads, Optimization optimization, Boolean spinWait, Integer topK,
            Double minConfidence, Map<String, Double> classThresholds) {
        this(intraOpThreads, optimization, spinWait, topK, minConfidence, classThresholds, null);
    }

    /**
     * The per-class thresholds in force for a model: the card's ({@code modelThresholds} on), then
     * {@code classThresholds} on top, class by class; a class in neither keeps {@code minConfidence}.
     *
     * @param fromCard the model card's per-class thresholds (empty when it has none)
     */
    public Map<String, Double> thresholdsFor(Map<String, Double> fromCard) {
        Map<String, Double> merged = new HashMap<>(modelThresholds ? fromCard : Map.of());
        merged.putAll(classThresholds);
        return Map.copyOf(merged);
    }

    /** The ONNX Runtime session settings these values ask for. */
    public SessionSettings session() {
        return new SessionSettings(intraOpThreads, optimization, spinWait);
    }
}
