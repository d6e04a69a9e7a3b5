package io.edgeloop.agent.config;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Finds the first key in a YAML tree that the target records do not declare. Jackson only reports unknown keys of
 * records after their constructor ran, so a misspelt key would otherwise surface as "missing" for the key it was
 * meant to be; this walk runs first and names the misspelling.
 */
final class UnknownKeys {

    private UnknownKeys() {
    }

    /** Returns a message for the first unknown key, or null. */
    static String find(JsonNode node, Type type, String path) {
        Class<?> raw = raw(type);
        if (node == null || node.isNull() || raw == null) {
            return null;
        }
        if (List.class.isAssignableFrom(raw) && node.isArray() && type instanceof ParameterizedType p) {
            for (int i = 0; i < node.size(); i++) {
                String m = find(node.get(i), p.getActualTypeArguments()[0], path + "[" + i + "]");
                if (m != null) {
                    return m;
                }
            }
            return null;
        }
        if (Map.class.isAssignableFrom(raw) && node.isObject() && type instanceof ParameterizedType p) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                String m = find(e.getValue(), p.getActualTypeArguments()[1], join(path, e.getKey()));
                if (m != null) {
                    return m;
                }
            }
            return null;
        }
        if (!node.isObject()) {
            return null;
        }
        Class<?> target = raw;
        boolean polymorphic = false;
        if (raw.isInterface() && raw.isAnnotationPresent(JsonSubTypes.class)) {
            JsonNode typeNode = node.get("type");
            target = null;
            for (JsonSubTypes.Type t : raw.getAnnotation(JsonSubTypes.class).value()) {
                if (typeNode != null && t.name().equals(typeNode.asText())) {
                    target = t.value();
                }
            }
            if (target == null) {
                return null; // Jackson reports the bad or missing type
            }
            polymorphic = true;
        }
        if (!target.isRecord()) {
            return null;
        }
        TreeSet<String> allowed = new TreeSet<>();
        for (RecordComponent c : target.getRecordComponents()) {
            allowed.add(c.getName());
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            String key = it.next();
            if (polymorphic && key.equals("type")) {
                continue;
            }
            if (!allowed.contains(key)) {
                return "unknown key '" + join(path, key) + "', allowed keys here: " + allowed;
            }
        }
        for (RecordComponent c : target.getRecordComponents()) {
            String m = find(node.get(c.getName()), c.getGenericType(), join(path, c.getName()));
            if (m != null) {
                return m;
            }
        }
        return null;
    }

    private static Class<?> raw(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> c) {
            return c;
        }
        return null;
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}
