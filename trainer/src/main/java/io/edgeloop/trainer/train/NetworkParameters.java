package io.edgeloop.trainer.train;

import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.edgeloop.trainer.model.ClassifierNetwork;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A run's access to the network's parameters: the {@link ParameterStore} every forward pass reads them through,
 * copies of their values, and their replacement (resume, best-weights restore). A DJL store caches each
 * parameter's array on first use, so replacing the arrays renews the store, here and nowhere else. Confined to the
 * training thread.
 */
public final class NetworkParameters {

    private final ClassifierNetwork network;
    private final NDManager manager;
    private ParameterStore store;

    /**
     * @param manager the run's manager, which the parameters live in
     */
    NetworkParameters(ClassifierNetwork network, NDManager manager) {
        this.network = Objects.requireNonNull(network, "network");
        this.manager = Objects.requireNonNull(manager, "manager");
        this.store = new ParameterStore(manager, false);
    }

    /** The store to run the network with; a new one after the parameters were replaced. */
    public ParameterStore store() {
        return store;
    }

    /** The run's manager: the parameters live in it, every step's arrays in a sub-manager of it. */
    public NDManager manager() {
        return manager;
    }

    /** The parameters' current values (BatchNorm statistics included), serialised. */
    public byte[] snapshot() throws IOException {
        return Checkpoint.parameterBytes(network.block());
    }

    /** Puts the values of a {@link #snapshot()} back; the replaced arrays are closed. */
    public void restore(byte[] snapshot) throws IOException {
        Checkpoint.loadParameterBytes(network.block(), manager, snapshot);
        replaced();
    }

    /** Reads a checkpoint file into the parameters and the optimiser ({@link Checkpoint#load}). */
    Checkpoint.Loaded loadCheckpoint(Path file, GroupedOptimizer optimizer, List<TrainableParameter> trainable)
            throws IOException {
        Checkpoint.Loaded loaded = Checkpoint.load(file, network.block(), manager, optimizer, trainable);
        replaced();
        return loaded;
    }

    private void replaced() {
        TrainableParameters.syncGradientFlags(network);
        store = new ParameterStore(manager, false);
    }
}
