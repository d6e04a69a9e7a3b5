package io.edgeloop.trainer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.edgeloop.trainer.model.ClassifierNetwork;
import io.edgeloop.trainer.model.FineTuneStrategy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Which of a network's parameters train once a strategy was applied, at which learning-rate factor, and the
 * gradient flags of their arrays to match.
 */
public final class TrainableParameters {

    private TrainableParameters() {
    }

    /**
     * The parameters that train after the strategy was applied, named by their path in the block; head parameters
     * at the full rate, backbone parameters at {@code backboneFactor} (FULL, PARTIAL; SCRATCH trains everything at
     * the full rate since nothing is pretrained).
     */
    public static List<TrainableParameter> select(ClassifierNetwork network, FineTuneStrategy strategy,
                                           double backboneFactor) {
        Set<Parameter> head = Collections.newSetFromMap(new IdentityHashMap<>());
        head.addAll(network.headParameters());
        List<TrainableParameter> result = new ArrayList<>();
        for (Pair<String, Parameter> pair : network.block().getParameters()) {
            Parameter p = pair.getValue();
            if (!wantsGradient(p)) {
                continue;
            }
            double factor = head.contains(p) || strategy == FineTuneStrategy.SCRATCH ? 1.0 : backboneFactor;
            result.add(new TrainableParameter(pair.getKey(), p, factor));
        }
        return result;
    }

    /**
     * Makes every parameter array's gradient flag match its parameter's requiresGradient; needed after the strategy
     * is applied and whenever parameter arrays are replaced (resume, best-weights restore).
     */
    public static void syncGradientFlags(ClassifierNetwork network) {
        for (Pair<String, Parameter> pair : network.block().getParameters()) {
            Parameter p = pair.getValue();
            NDArray array = p.getArray();
            if (array.hasGradient() != wantsGradient(p)) {
                array.setRequiresGradient(wantsGradient(p));
            }
        }
    }

    /**
     * A parameter trains when it requires a gradient and is not a BatchNorm running statistic (DJL's
     * {@code freezeParameters(false)} flags those too, which PyTorch's batch_norm rejects).
     */
    static boolean wantsGradient(Parameter p) {
        return p.requiresGradient() && p.getType() != Parameter.Type.RUNNING_MEAN
                && p.getType() != Parameter.Type.RUNNING_VAR;
    }
}
