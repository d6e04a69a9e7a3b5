package io.edgeloop.trainer.onnx.op;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.edgeloop.trainer.onnx.NodeAttributes;
import io.edgeloop.trainer.onnx.OnnxImportException;
import io.edgeloop.trainer.onnx.OnnxNode;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.IntPredicate;

/**
 * What an operator sees besides its inputs: the node (name, attributes), the model's opset, the manager new arrays go
 * to, whether this node runs in training mode (batch statistics, dropout) and where state updates (BatchNorm running
 * statistics) are written, and which inputs it may overwrite in place.
 */
public final class OpContext {

    private final OnnxNode node;
    private final int opset;
    private final NDManager manager;
    private final boolean training;
    private final BiConsumer<Integer, NDArray> stateSink;
    private final IntPredicate overwritable;

    /**
     * A context in which no input may be overwritten.
     *
     * @param stateSink receives (input index, new value) for state inputs updated in training mode
     */
    public OpContext(OnnxNode node, int opset, NDManager manager, boolean training,
            BiConsumer<Integer, NDArray> stateSink) {
        this(node, opset, manager, training, stateSink, i -> false);
    }

    /**
     * @param stateSink    receives (input index, new value) for state inputs updated in training mode
     * @param overwritable which input indices the op may overwrite (see {@link #mayOverwrite})
     */
    public OpContext(OnnxNode node, int opset, NDManager manager, boolean training,
            BiConsumer<Integer, NDArray> stateSink, IntPredicate overwritable) {
        this.node = node;
        this.opset = opset;
        this.manager = manager;
        this.training = training;
        this.stateSink = stateSink;
        this.overwritable = overwritable;
    }

    /** The node being run. */
    public OnnxNode node() {
        return node;
    }

    /** The node's attributes. */
    public NodeAttributes attributes() {
        return node.attributes();
    }

    /** Default-domain opset of the model. */
    public int opset() {
        return opset;
    }

    /** Manager for arrays the op creates from scratch (constants, masks). */
    public NDManager manager() {
        return manager;
    }

    /** True when this node runs in training mode. */
    public boolean training() {
        return training;
    }

    /**
     * True when input {@code i} is an activation this pass computed into fresh storage, by an op whose backward
     * does not read its own output, and that nothing reads after this node: the op may overwrite it in place and
     * return it (as PyTorch's {@code inplace=True} activations do).
     */
    public boolean mayOverwrite(int i) {
        return overwritable.test(i);
    }

    /**
     * Writes a new value for a state input (e.g. a BatchNorm running mean) back to its parameter; {@code value} may
     * be the input array itself, updated in place.
     */
    public void updateState(int inputIndex, NDArray value) {
        stateSink.accept(inputIndex, value);
    }

    /** An error about this node. */
    public OnnxImportException error(String message) {
        return new OnnxImportException(node.describe() + ": " + message);
    }

    /** The input at {@code i}, or an error naming it when it is omitted. */
    public NDArray required(List<NDArray> inputs, int i, String what) {
        NDArray a = i < inputs.size() ? inputs.get(i) : null;
        if (a == null) {
            throw error("input " + i + " (" + what + ") is required");
        }
        return a;
    }

    /** The input at {@code i}, or null when omitted. */
    public static NDArray optional(List<NDArray> inputs, int i) {
        return i < inputs.size() ? inputs.get(i) : null;
    }

    /** Normalises a possibly negative axis for an array of rank {@code rank}. */
    public int axis(long axis, int rank) {
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw error("axis " + axis + " is out of range for rank " + rank + " (allowed " + (-rank) + ".."
                    + (rank - 1) + ")");
        }
        return (int) a;
    }
}
