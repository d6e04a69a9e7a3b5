package io.edgeloop.trainer.job;

import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import io.edgeloop.trainer.model.ClassifierNetwork;
import io.edgeloop.trainer.model.FineTuneStrategy;
import io.edgeloop.trainer.onnx.OnnxClassifierNetwork;
import java.util.List;

/**
 * An imported network whose PARTIAL strategy freezes up to a named node ({@code --freeze NODE}) instead of a
 * fraction; every other call goes to the network unchanged.
 */
final class NodeFreezingNetwork implements ClassifierNetwork {

    private final OnnxClassifierNetwork network;
    private final String firstTrainableNode;

    NodeFreezingNetwork(OnnxClassifierNetwork network, String firstTrainableNode) {
        this.network = network;
        this.firstTrainableNode = firstTrainableNode;
    }

    @Override
    public void applyStrategy(FineTuneStrategy strategy, double freezeFraction) {
        if (strategy == FineTuneStrategy.PARTIAL) {
            network.applyPartial(firstTrainableNode);
        } else {
            network.applyStrategy(strategy, freezeFraction);
        }
    }

    @Override
    public Block block() {
        return network.block();
    }

    @Override
    public int numClasses() {
        return network.numClasses();
    }

    @Override
    public int imageSize() {
        return network.imageSize();
    }

    @Override
    public List<Parameter> headParameters() {
        return network.headParameters();
    }

    @Override
    public boolean backboneFrozen() {
        return network.backboneFrozen();
    }

    @Override
    public NDList forwardBackbone(ParameterStore store, NDList images, boolean training) {
        return network.forwardBackbone(store, images, training);
    }

    @Override
    public NDList forwardHead(ParameterStore store, NDList features, boolean training) {
        return network.forwardHead(store, features, training);
    }
}
