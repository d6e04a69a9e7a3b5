package io.edgeloop.trainer.train;

import ai.djl.Device;
import io.edgeloop.trainer.data.BatchLoader;
import io.edgeloop.trainer.data.Dataset;
import io.edgeloop.trainer.model.ClassifierNetwork;
import java.util.List;
import java.util.Objects;

/**
 * What one training run works with, fixed when it starts, so the loop and its listeners share it instead of long
 * parameter lists. The references do not change during the run; the objects behind some of them do (the network's
 * parameter values, the optimiser's state, and {@link NetworkParameters}, which renews its store when the
 * parameters are replaced).
 *
 * @param config     the validated configuration
 * @param decision   the strategy that runs (never AUTO) and why
 * @param network    the network, with the strategy applied
 * @param data       training and validation images
 * @param loader     decodes, augments and batches them
 * @param loss       the training loss (smoothing and class weights included)
 * @param optimizer  the per-group optimiser, owner of its state
 * @param schedule   the learning rate of each step
 * @param trainable  the parameters the optimiser updates
 * @param device     the primary device: parameters, optimiser state, validation
 * @param parameters the parameter store and the replacement of the parameters
 */
public record TrainingContext(FitConfig config, StrategyDecision decision, ClassifierNetwork network, Dataset data,
                              BatchLoader loader, ClassificationLoss loss, GroupedOptimizer optimizer,
                              LearningRateSchedule schedule, List<TrainableParameter> trainable, Device device,
                              NetworkParameters parameters) {

    public TrainingContext {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(loader, "loader");
        Objects.requireNonNull(loss, "loss");
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(parameters, "parameters");
        trainable = List.copyOf(trainable);
    }
}
