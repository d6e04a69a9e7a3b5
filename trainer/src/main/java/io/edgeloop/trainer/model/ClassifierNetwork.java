package io.edgeloop.trainer.model;

import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.List;

/**
 * A trainable image classifier: a backbone (pretrained, possibly partly frozen) followed by a new classifier head.
 * The training loop only sees this interface; the ONNX importer provides the real implementation.
 *
 * <p>Input: one NDArray, float32 {@code N × 3 × H × W}, preprocessed as the model card says. Output of
 * {@link #block()}'s forward: one NDArray of logits {@code N × numClasses}.
 */
public interface ClassifierNetwork {

    /** The whole network as one DJL block (backbone then head). */
    Block block();

    /** Number of output classes of the head. */
    int numClasses();

    /** Input height and width the network was built for. */
    int imageSize();

    /**
     * Applies a strategy (not {@link FineTuneStrategy#AUTO}): parameters outside the trained part get
     * {@code requiresGradient=false} and their BatchNorm layers run in inference mode even during training, so
     * frozen weights and statistics stay bit-identical. Call after {@code model.newTrainer(...)}, which unfreezes.
     *
     * @param freezeFraction for PARTIAL: fraction (0..1) of the backbone's weight layers, in graph order, to freeze
     */
    void applyStrategy(FineTuneStrategy strategy, double freezeFraction);

    /** Parameters of the new head; everything else trainable is backbone (smaller learning rate in FULL). */
    List<Parameter> headParameters();

    /** True when the whole backbone is frozen, so its features can be computed once and cached. */
    boolean backboneFrozen();

    /** Backbone only: images to the features the head consumes. Runs in inference mode when frozen. */
    NDList forwardBackbone(ParameterStore store, NDList images, boolean training);

    /** Head only: features to logits. */
    NDList forwardHead(ParameterStore store, NDList features, boolean training);
}
