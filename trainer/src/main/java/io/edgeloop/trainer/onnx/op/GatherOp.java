package io.edgeloop.trainer.onnx.op;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import java.util.List;

/**
 * Gather along {@code axis} (not GatherElements): a scalar index drops the axis; an index tensor of shape I replaces
 * it by I. Indices may be negative. Slices are concatenated, which keeps the gradient.
 */
final class GatherOp implements OnnxOp {

    @Override
    public List<NDArray> apply(OpContext ctx, List<NDArray> inputs) {
        NDArray x = ctx.required(inputs, 0, "data");
        NDArray idx = ctx.required(inputs, 1, "indices");
        long[] dims = x.getShape().getShape();
        int axis = ctx.axis(ctx.attributes().getInt("axis", 0), dims.length);
        long[] indices = TensorValues.longs(idx);
        long d = dims[axis];
        for (int i = 0; i < indices.length; i++) {
            if (indices[i] < -d || indices[i] >= d) {
                throw ctx.error("index " + indices[i] + " is out of range for axis " + axis + " of size " + d);
            }
            indices[i] = indices[i] < 0 ? indices[i] + d : indices[i];
        }
        if (idx.getShape().dimension() == 0) {
            NDIndex index = new NDIndex().addAllDim(axis).addIndices(indices[0]);
            return List.of(x.get(index));
        }
        NDList parts = new NDList();
        for (long i : indices) {
            parts.add(x.get(NDIndex.sliceAxis(axis, i, i + 1)));
        }
        NDArray flat = parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts, axis);
        long[] idxShape = idx.getShape().getShape();
        long[] out = new long[dims.length - 1 + idxShape.length];
        int j = 0;
        for (int a = 0; a < axis; a++) {
            out[j++] = dims[a];
        }
        for (long s : idxShape) {
            out[j++] = s;
        }
        for (int a = axis + 1; a < dims.length; a++) {
            out[j++] = dims[a];
        }
        return List.of(flat.reshape(out));
    }

    @Override
    public boolean isDataInput(int index) {
        return index == 0;
    }
}
