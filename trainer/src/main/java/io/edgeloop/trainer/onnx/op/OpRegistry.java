package io.edgeloop.trainer.onnx.op;

import io.edgeloop.trainer.onnx.OnnxImportException;
import io.edgeloop.trainer.onnx.OnnxNode;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** The one table of supported ONNX operators: op type → implementation. Immutable and shareable. */
public final class OpRegistry {

    private static final OpRegistry STANDARD = new OpRegistry();

    private final Map<String, OnnxOp> ops;

    private OpRegistry() {
        Map<String, OnnxOp> m = new TreeMap<>();
        m.put("Add", BinaryOp.add());
        m.put("Sub", BinaryOp.sub());
        m.put("Mul", BinaryOp.mul());
        m.put("Div", BinaryOp.div());
        m.put("Pow", BinaryOp.pow());
        m.put("Relu", UnaryOp.relu());
        m.put("Sigmoid", UnaryOp.sigmoid());
        m.put("Tanh", UnaryOp.tanh());
        m.put("Erf", UnaryOp.erf());
        m.put("Exp", UnaryOp.exp());
        m.put("Neg", UnaryOp.neg());
        m.put("Abs", UnaryOp.abs());
        m.put("Sqrt", UnaryOp.sqrt());
        m.put("HardSwish", UnaryOp.hardSwish());
        m.put("HardSigmoid", new HardSigmoidOp());
        m.put("Clip", new ClipOp());
        m.put("Identity", new IdentityOp());
        m.put("Dropout", new DropoutOp());
        m.put("Cast", new CastOp());
        m.put("Conv", new ConvOp());
        m.put("MaxPool", new MaxPoolOp());
        m.put("AveragePool", new AveragePoolOp());
        m.put("GlobalAveragePool", new GlobalPoolOp(false));
        m.put("GlobalMaxPool", new GlobalPoolOp(true));
        m.put("BatchNormalization", new BatchNormOp());
        m.put("LayerNormalization", new LayerNormOp());
        m.put("Gemm", new GemmOp());
        m.put("MatMul", new MatMulOp());
        m.put("Softmax", new SoftmaxOp(false));
        m.put("LogSoftmax", new SoftmaxOp(true));
        m.put("ReduceMean", ReduceOp.mean());
        m.put("ReduceSum", ReduceOp.sum());
        m.put("Flatten", new FlattenOp());
        m.put("Reshape", new ReshapeOp());
        m.put("Transpose", new TransposeOp());
        m.put("Squeeze", new SqueezeOp(false));
        m.put("Unsqueeze", new SqueezeOp(true));
        m.put("Concat", new ConcatOp());
        m.put("Split", new SplitOp());
        m.put("Slice", new SliceOp());
        m.put("Gather", new GatherOp());
        m.put("Shape", new ShapeOp());
        m.put("Constant", new ConstantOp(false));
        m.put("ConstantOfShape", new ConstantOp(true));
        m.put("Pad", new PadOp());
        m.put("LRN", new LrnOp());
        m.put("Sum", VariadicOp.sum());
        m.put("Max", VariadicOp.max());
        m.put("Min", VariadicOp.min());
        m.put("Mean", VariadicOp.mean());
        this.ops = Collections.unmodifiableMap(m);
    }

    /** The registry with every supported operator. */
    public static OpRegistry standard() {
        return STANDARD;
    }

    /** The implementation for the node's op type, or an error naming the op, the node and the supported set. */
    public OnnxOp lookup(OnnxNode node) {
        OnnxOp op = ops.get(node.opType());
        if (op == null) {
            throw new OnnxImportException("unsupported ONNX operator '" + node.opType() + "' in node '"
                    + node.name() + "'; supported: " + String.join(", ", ops.keySet()));
        }
        return op;
    }

    /** Supported op types, sorted. */
    public Set<String> supported() {
        return ops.keySet();
    }
}
