package io.edgeloop.trainer.train;

import ai.djl.nn.Parameter;
import java.util.Objects;

/**
 * A parameter the optimiser updates, with a stable name (its path in the block, the same in every JVM, used as
 * the key of the optimiser state in checkpoints) and its learning-rate factor (1 for the head, the backbone
 * factor for the backbone).
 */
public record TrainableParameter(String name, Parameter parameter, double lrFactor) {

    public TrainableParameter {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(parameter, "parameter");
        if (!(lrFactor > 0 && lrFactor <= 1)) {
            throw new IllegalArgumentException("lrFactor of " + name + " is " + lrFactor + ", allowed (0, 1]");
        }
    }
}
