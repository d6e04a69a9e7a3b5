package io.edgeloop.trainer.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/** Converts ONNX {@code TensorProto}s (initializers, Constant values) to DJL NDArrays and float arrays back. */
public final class TensorProtos {

    private TensorProtos() {
    }

    /** DJL data type for an ONNX element type code, or an error naming the tensor. */
    public static DataType dataType(int onnxType, String tensorName) {
        switch (onnxType) {
            case OnnxMl.TensorProto.DataType.FLOAT_VALUE:
                return DataType.FLOAT32;
            case OnnxMl.TensorProto.DataType.DOUBLE_VALUE:
                return DataType.FLOAT64;
            case OnnxMl.TensorProto.DataType.INT64_VALUE:
                return DataType.INT64;
            case OnnxMl.TensorProto.DataType.INT32_VALUE:
                return DataType.INT32;
            case OnnxMl.TensorProto.DataType.INT8_VALUE:
                return DataType.INT8;
            case OnnxMl.TensorProto.DataType.UINT8_VALUE:
                return DataType.UINT8;
            case OnnxMl.TensorProto.DataType.BOOL_VALUE:
                return DataType.BOOLEAN;
            default:
                throw new OnnxImportException("tensor '" + tensorName + "': element type "
                        + OnnxMl.TensorProto.DataType.forNumber(onnxType)
                        + " is not supported; supported: FLOAT, DOUBLE, INT64, INT32, INT8, UINT8, BOOL");
        }
    }

    /** Shape of a tensor proto. */
    public static Shape shape(OnnxMl.TensorProto t) {
        return new Shape(t.getDimsList().stream().mapToLong(Long::longValue).toArray());
    }

    /**
     * The shape of a tensor whose values are to be read, refused when a dimension is negative or the values could
     * not fit in one .onnx file (protobuf's 2 GiB limit) at {@code bytesPerElement}: a corrupt or hostile file may
     * declare any dims, and the reader must not size arrays from them unchecked.
     */
    static Shape checkedShape(OnnxMl.TensorProto t, int bytesPerElement) {
        long elements = 1;
        for (long d : t.getDimsList()) {
            if (d < 0 || (d > 0 && elements > Integer.MAX_VALUE / bytesPerElement / d)) {
                throw new OnnxImportException("tensor '" + t.getName() + "': dims " + t.getDimsList()
                        + " are negative or declare more than " + Integer.MAX_VALUE + " bytes of values, allowed"
                        + " non-negative dims whose values fit in the file");
            }
            elements *= d;
        }
        return shape(t);
    }

    /** Creates an NDArray with the tensor's values on {@code manager}. */
    public static NDArray toNDArray(OnnxMl.TensorProto t, NDManager manager) {
        if (t.getDataLocation() == OnnxMl.TensorProto.DataLocation.EXTERNAL) {
            throw new OnnxImportException("tensor '" + t.getName()
                    + "': external data is not supported; save the model with all tensors inside the .onnx file");
        }
        if (t.getDataType() == OnnxMl.TensorProto.DataType.FLOAT16_VALUE) {
            return toNDArray(widened(t), manager); // the network computes in float32 (see Float16Widener)
        }
        DataType type = dataType(t.getDataType(), t.getName());
        Shape shape = checkedShape(t, type.getNumOfBytes());
        ByteBuffer raw;
        if (!t.getRawData().isEmpty()) {
            raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        } else {
            raw = typedFieldBytes(t, type, shape.size());
        }
        long expected = shape.size() * type.getNumOfBytes();
        if (raw.remaining() != expected) {
            throw new OnnxImportException("tensor '" + t.getName() + "': holds " + raw.remaining()
                    + " bytes, its shape " + shape + " of " + type + " needs " + expected);
        }
        ByteBuffer direct = manager.allocateDirect(raw.remaining());
        direct.put(raw.duplicate());
        direct.rewind();
        // an array created from a buffer lives in that Java buffer; a clone lives in libtorch (see ScalarTensor)
        try (NDArray javaBacked = manager.create(direct, shape, type)) {
            return javaBacked.duplicate();
        }
    }

    private static ByteBuffer typedFieldBytes(OnnxMl.TensorProto t, DataType type, long size) {
        ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(size * type.getNumOfBytes())).order(ByteOrder.LITTLE_ENDIAN);
        switch (type) {
            case FLOAT32:
                t.getFloatDataList().forEach(b::putFloat);
                break;
            case FLOAT64:
                t.getDoubleDataList().forEach(b::putDouble);
                break;
            case INT64:
                t.getInt64DataList().forEach(b::putLong);
                break;
            case INT32:
                t.getInt32DataList().forEach(b::putInt);
                break;
            case INT8:
            case UINT8:
            case BOOLEAN:
                t.getInt32DataList().forEach(v -> b.put(v.byteValue()));
                break;
            default:
                throw new OnnxImportException("tensor '" + t.getName() + "': cannot read type " + type);
        }
        if (b.position() != b.capacity()) {
            throw new OnnxImportException("tensor '" + t.getName() + "': holds " + b.position()
                    + " bytes of typed data, its shape " + Arrays.toString(t.getDimsList().toArray()) + " needs "
                    + b.capacity());
        }
        b.flip();
        return b;
    }

    /**
     * A FLOAT16 tensor as FLOAT, same name and dims: every half is exact in float32. The halves come from
     * {@code raw_data} (little-endian) or from {@code int32_data}, where the ONNX spec puts one 16-bit pattern per
     * int32.
     */
    public static OnnxMl.TensorProto widened(OnnxMl.TensorProto t) {
        if (t.getDataType() != OnnxMl.TensorProto.DataType.FLOAT16_VALUE) {
            throw new IllegalArgumentException("tensor '" + t.getName() + "' has element type "
                    + OnnxMl.TensorProto.DataType.forNumber(t.getDataType()) + ", expected FLOAT16");
        }
        if (t.getDataLocation() == OnnxMl.TensorProto.DataLocation.EXTERNAL) {
            throw new OnnxImportException("tensor '" + t.getName()
                    + "': external data is not supported; save the model with all tensors inside the .onnx file");
        }
        Shape shape = checkedShape(t, 4);
        int count = Math.toIntExact(shape.size());
        float[] values = new float[count];
        if (!t.getRawData().isEmpty()) {
            ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            if (raw.remaining() != count * 2L) {
                throw new OnnxImportException("tensor '" + t.getName() + "': holds " + raw.remaining()
                        + " bytes, its shape " + shape + " of FLOAT16 needs " + count * 2L);
            }
            for (int i = 0; i < count; i++) {
                values[i] = Float16.toFloat(raw.getShort() & 0xffff);
            }
        } else {
            if (t.getInt32DataCount() != count) {
                throw new OnnxImportException("tensor '" + t.getName() + "': holds " + t.getInt32DataCount()
                        + " FLOAT16 values in int32_data, its shape " + shape + " needs " + count);
            }
            for (int i = 0; i < count; i++) {
                values[i] = Float16.toFloat(t.getInt32Data(i) & 0xffff);
            }
        }
        return floatTensor(t.getName(), shape, values).toBuilder().setDocString(t.getDocString()).build();
    }

    /**
     * The values of a FLOAT (or FLOAT16, widened) tensor as a Java array, from {@code raw_data} or {@code float_data};
     * for graph rewriting that needs no engine (quantisation, folding).
     */
    public static float[] floats(OnnxMl.TensorProto t) {
        if (t.getDataLocation() == OnnxMl.TensorProto.DataLocation.EXTERNAL) {
            throw new OnnxImportException("tensor '" + t.getName()
                    + "': external data is not supported; save the model with all tensors inside the .onnx file");
        }
        if (t.getDataType() == OnnxMl.TensorProto.DataType.FLOAT16_VALUE) {
            return floats(widened(t));
        }
        if (t.getDataType() != OnnxMl.TensorProto.DataType.FLOAT_VALUE) {
            throw new OnnxImportException("tensor '" + t.getName() + "' has element type "
                    + OnnxMl.TensorProto.DataType.forNumber(t.getDataType()) + ", expected FLOAT");
        }
        int count = Math.toIntExact(checkedShape(t, Float.BYTES).size());
        float[] values = new float[count];
        if (!t.getRawData().isEmpty()) {
            ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            if (raw.remaining() != count * (long) Float.BYTES) {
                throw new OnnxImportException("tensor '" + t.getName() + "': holds " + raw.remaining()
                        + " bytes, its dims " + t.getDimsList() + " of FLOAT need " + count * (long) Float.BYTES);
            }
            raw.asFloatBuffer().get(values);
        } else {
            if (t.getFloatDataCount() != count) {
                throw new OnnxImportException("tensor '" + t.getName() + "': holds " + t.getFloatDataCount()
                        + " floats, its dims " + t.getDimsList() + " need " + count);
            }
            for (int i = 0; i < count; i++) {
                values[i] = t.getFloatData(i);
            }
        }
        return values;
    }

    /** A float32 tensor proto with raw little-endian data, for writing trained weights back. */
    public static OnnxMl.TensorProto floatTensor(String name, Shape shape, float[] values) {
        if (shape.size() != values.length) {
            throw new IllegalArgumentException("tensor '" + name + "': " + values.length + " values for shape "
                    + shape);
        }
        ByteBuffer b = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        b.flip();
        OnnxMl.TensorProto.Builder builder = OnnxMl.TensorProto.newBuilder().setName(name)
                .setDataType(OnnxMl.TensorProto.DataType.FLOAT_VALUE).setRawData(ByteString.copyFrom(b));
        for (long d : shape.getShape()) {
            builder.addDims(d);
        }
        return builder.build();
    }

    /** A float32 tensor proto holding {@code array}'s values. */
    public static OnnxMl.TensorProto floatTensor(String name, NDArray array) {
        NDArray f = array.getDataType() == DataType.FLOAT32 ? array : array.toType(DataType.FLOAT32, false);
        try {
            return floatTensor(name, array.getShape(), f.toFloatArray());
        } finally {
            if (f != array) {
                f.close();
            }
        }
    }

    /** An int64 tensor proto (shapes, axes). */
    public static OnnxMl.TensorProto int64Tensor(String name, long... values) {
        OnnxMl.TensorProto.Builder builder = OnnxMl.TensorProto.newBuilder().setName(name)
                .setDataType(OnnxMl.TensorProto.DataType.INT64_VALUE).addDims(values.length);
        for (long v : values) {
            builder.addInt64Data(v);
        }
        return builder.build();
    }
}
