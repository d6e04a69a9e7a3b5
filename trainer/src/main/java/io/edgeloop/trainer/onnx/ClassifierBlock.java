package io.edgeloop.trainer.onnx;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** Backbone (the imported graph up to the features), pooling and the new head: images to logits. */
final class ClassifierBlock extends AbstractBlock {

    private final OnnxGraphBlock backbone;
    private final HeadPool pool;
    private final LinearHead head;
    private final Shape featureShape;

    ClassifierBlock(OnnxGraphBlock backbone, HeadPool pool, LinearHead head, Shape featureShape) {
        this.backbone = addChildBlock("backbone", backbone);
        this.pool = pool;
        this.head = addChildBlock("head", head);
        this.featureShape = featureShape;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDList features = backbone.forward(store, inputs, training, params);
        return head.forward(store, new NDList(pool.apply(features.singletonOrThrow())), training, params);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return head.getOutputShapes(new Shape[] {withBatch(inputShapes[0].get(0))});
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        backbone.initialize(manager, dataType, inputShapes);
        head.initialize(manager, dataType, withBatch(inputShapes[0].get(0)));
    }

    private Shape withBatch(long batch) {
        Shape pooled = pool.pooledShape(featureShape);
        return new Shape(batch, pooled.get(1));
    }
}
