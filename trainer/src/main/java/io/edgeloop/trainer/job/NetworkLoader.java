package io.edgeloop.trainer.job;

import ai.djl.ndarray.NDManager;
import io.edgeloop.trainer.model.ClassifierNetwork;
import io.edgeloop.trainer.onnx.HeadSpec;
import java.nio.file.Path;

/**
 * Turns a pretrained base model into a trainable network with a new head; {@code fit} depends only on this, so
 * the importer can be replaced (and tests can plug in their own networks).
 */
@FunctionalInterface
public interface NetworkLoader {

    /**
     * Loads {@code base} with a new head as {@code head} says (classes, where it attaches, its pooling, its seed);
     * the network's arrays live in {@code manager}.
     */
    ClassifierNetwork load(Path base, HeadSpec head, NDManager manager);
}
