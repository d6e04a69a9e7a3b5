package io.edgeloop.agent.config;

import io.edgeloop.agent.inference.Optimization;
import io.edgeloop.agent.inference.SessionSettings;
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
 * @param classThresholds per-class minimum probability overriding {@code minConfidence} (label → 0..1)
 */
public record InferenceConfig(
        Integer intraOpThreads,
        Optimization optimization,
        Boolean spinWait,
        Integer topK,
        Double minConfidence,
        Map<String, Double> classThresholds) {

    public static final InferenceConfig DEFAULT = new InferenceConfig(null, null, null, null, null, null);

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
    }

    /** The ONNX Runtime session settings these values ask for. */
    public SessionSettings session() {
        return new SessionSettings(intraOpThreads, optimization, spinWait);
    }
}
