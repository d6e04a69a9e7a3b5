package io.edgeloop.trainer.job;

import ai.djl.ndarray.NDManager;
import io.edgeloop.trainer.model.ClassifierNetwork;
import java.nio.file.Path;

/**
 * Turns a pretrained base model into a trainable network with a new head; {@code fit} depends only on this, so
 * the importer can be replaced (and tests can plug in their own networks).
 */
@FunctionalInterface
public interface NetworkLoader {

    /**
     * Loads {@code base} with a new, seeded head of {@code numClasses} outputs; its arrays live in {@code manager}.
     *
     * @param cutAt node whose output feeds the new head; null to detect the old head automatically
     */
    ClassifierNetwork load(Path base, int numClasses, String cutAt, long seed, NDManager manager);
}
