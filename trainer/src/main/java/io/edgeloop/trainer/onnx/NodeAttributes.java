package io.edgeloop.trainer.onnx;

import ai.onnx.proto.OnnxMl;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Typed, read-only access to an ONNX node's attributes, with defaults as the ONNX operator specs give them. A missing
 * required attribute or a wrong type is an {@link OnnxImportException} naming the node and the attribute.
 */
public final class NodeAttributes {

    private final String nodeDescription;
    private final Map<String, OnnxMl.AttributeProto> byName;

    /** @param nodeDescription e.g. {@code Conv node 'conv1'}, used in error messages */
    public NodeAttributes(String nodeDescription, List<OnnxMl.AttributeProto> attributes) {
        this.nodeDescription = nodeDescription;
        Map<String, OnnxMl.AttributeProto> map = new LinkedHashMap<>();
        for (OnnxMl.AttributeProto a : attributes) {
            map.put(a.getName(), a);
        }
        this.byName = Collections.unmodifiableMap(map);
    }

    /** True when the attribute is present. */
    public boolean has(String name) {
        return byName.containsKey(name);
    }

    /** Integer attribute, or {@code defaultValue} when absent. */
    public long getInt(String name, long defaultValue) {
        OnnxMl.AttributeProto a = byName.get(name);
        if (a == null) {
            return defaultValue;
        }
        expect(a, OnnxMl.AttributeProto.AttributeType.INT);
        return a.getI();
    }

    /** Float attribute, or {@code defaultValue} when absent. */
    public float getFloat(String name, float defaultValue) {
        OnnxMl.AttributeProto a = byName.get(name);
        if (a == null) {
            return defaultValue;
        }
        expect(a, OnnxMl.AttributeProto.AttributeType.FLOAT);
        return a.getF();
    }

    /** String attribute, or {@code defaultValue} when absent. */
    public String getString(String name, String defaultValue) {
        OnnxMl.AttributeProto a = byName.get(name);
        if (a == null) {
            return defaultValue;
        }
        expect(a, OnnxMl.AttributeProto.AttributeType.STRING);
        return a.getS().toStringUtf8();
    }

    /** Integer list attribute, or {@code null} when absent. */
    public long[] getInts(String name) {
        OnnxMl.AttributeProto a = byName.get(name);
        if (a == null) {
            return null;
        }
        expect(a, OnnxMl.AttributeProto.AttributeType.INTS);
        return a.getIntsList().stream().mapToLong(Long::longValue).toArray();
    }

    /** Float list attribute, or {@code null} when absent. */
    public float[] getFloats(String name) {
        OnnxMl.AttributeProto a = byName.get(name);
        if (a == null) {
            return null;
        }
        expect(a, OnnxMl.AttributeProto.AttributeType.FLOATS);
        float[] out = new float[a.getFloatsCount()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.getFloats(i);
        }
        return out;
    }

    /** Tensor attribute, or {@code null} when absent. */
    public OnnxMl.TensorProto getTensor(String name) {
        OnnxMl.AttributeProto a = byName.get(name);
        if (a == null) {
            return null;
        }
        expect(a, OnnxMl.AttributeProto.AttributeType.TENSOR);
        return a.getT();
    }

    /** The attribute names present, in file order. */
    public List<String> names() {
        return List.copyOf(byName.keySet());
    }

    private void expect(OnnxMl.AttributeProto a, OnnxMl.AttributeProto.AttributeType type) {
        // files written by old exporters may leave the type unset; trust the field that carries a value then
        if (a.getType() != type && a.getType() != OnnxMl.AttributeProto.AttributeType.UNDEFINED) {
            throw new OnnxImportException(nodeDescription + ": attribute '" + a.getName() + "' has type "
                    + a.getType() + ", expected " + type);
        }
    }
}
