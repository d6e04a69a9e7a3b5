package io.edgeloop.agent.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * Reads the agent's YAML configuration strictly: unknown keys, wrong types, coerced scalars, duplicate keys and
 * invalid values are all errors, reported as one line naming the key path, the bad value and what is allowed.
 */
public final class ConfigLoader {

    private final ObjectMapper mapper;

    public ConfigLoader() {
        YAMLFactory yaml = YAMLFactory.builder().build();
        yaml.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        JsonMapper.Builder builder = JsonMapper.builder(yaml)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS);
        ObjectMapper built = builder.build();
        // YAML reads "5" and 5 differently; a quoted number where a number belongs is a mistake worth reporting.
        built.coercionConfigDefaults().setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        built.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        built.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.String, CoercionAction.TryConvert);
        built.coercionConfigFor(LogicalType.Enum).setCoercion(CoercionInputShape.String, CoercionAction.TryConvert);
        mapper = built;
    }

    /**
     * Loads and validates a config file. Relative paths in it are relative to the file's folder (so the result holds
     * absolute paths there); see {@link RelativePaths}.
     */
    public AgentConfig load(Path file) throws ConfigException {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": config file not found");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read config file (" + e.getMessage() + ")", e);
        }
        String source = file.toString();
        parse(text, source); // validates first: its messages carry line numbers, a rewritten tree has none
        Path base = file.toAbsolutePath().normalize().getParent();
        try {
            ObjectNode tree = (ObjectNode) mapper.readTree(text);
            RelativePaths.resolve(tree, base);
            return mapper.treeToValue(tree, AgentConfig.class);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(source + ": " + e.getMessage(), e);
        } catch (JsonMappingException e) {
            throw new ConfigException(source + ": " + describe(e), e);
        } catch (JsonProcessingException e) {
            throw new ConfigException(source + ": " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Parses and validates config text; relative paths stay relative (to the working directory).
     *
     * @param source what to call the text in messages (the file name)
     */
    public AgentConfig parse(String text, String source) throws ConfigException {
        if (text.isBlank()) {
            throw new ConfigException(source + ": config is empty, allowed a YAML mapping with deviceId, model, "
                    + "cameras and mqtt");
        }
        try {
            com.fasterxml.jackson.databind.JsonNode tree = mapper.readTree(text);
            if (tree == null || tree.isMissingNode() || tree.isNull()) {
                throw new ConfigException(source + ": config is empty, allowed a YAML mapping with deviceId, "
                        + "model, cameras and mqtt");
            }
            if (!tree.isObject()) {
                throw new ConfigException(source + ": config is not a mapping, allowed a YAML mapping with "
                        + "deviceId, model, cameras and mqtt");
            }
            String unknown = UnknownKeys.find(tree, AgentConfig.class, "");
            if (unknown != null) {
                throw new ConfigException(source + ": " + unknown);
            }
            return mapper.readValue(text, AgentConfig.class);
        } catch (JsonMappingException e) {
            throw new ConfigException(source + ": " + describe(e), e);
        } catch (JsonProcessingException e) {
            throw new ConfigException(source + ": not valid YAML" + at(e.getLocation()) + ": "
                    + e.getOriginalMessage(), e);
        }
    }

    private static String describe(JsonMappingException e) {
        String path = path(e.getPath());
        String where = at(e.getLocation());
        if (e instanceof UnrecognizedPropertyException u) {
            TreeSet<String> allowed = new TreeSet<>();
            Collection<Object> known = u.getKnownPropertyIds();
            if (known != null) {
                known.forEach(k -> allowed.add(String.valueOf(k)));
            }
            allowed.remove("type");
            return "unknown key '" + path + "'" + where + ", allowed keys here: " + allowed;
        }
        if (e instanceof InvalidTypeIdException t) {
            String id = t.getTypeId();
            return path + ".type is " + (id == null ? "missing" : "'" + id + "'") + where
                    + ", allowed one of " + SourceConfig.TYPES;
        }
        if (e instanceof ValueInstantiationException v) {
            Throwable cause = v.getCause() != null ? v.getCause() : v;
            String message = cause.getMessage();
            if (message != null && message.startsWith("preprocessing.") && path.endsWith("preprocess")) {
                message = message.substring("preprocessing.".length());
            }
            // the location of a record's error is the end of its section: the key path is the precise part
            return (path.isEmpty() ? "" : path + ".") + message;
        }
        if (e instanceof InvalidFormatException f) {
            return path + " is '" + f.getValue() + "'" + where + ", allowed " + expected(f.getTargetType());
        }
        if (e instanceof MismatchedInputException m) {
            Class<?> target = m.getTargetType();
            if (m.getMessage() != null && m.getMessage().contains("Missing type id")) {
                return path + ".type is missing" + where + ", allowed one of " + SourceConfig.TYPES;
            }
            String value = "";
            if (m.getProcessor() instanceof JsonParser parser) {
                try {
                    String text = parser.getText();
                    if (text != null && parser.currentToken() != null && parser.currentToken().isScalarValue()) {
                        value = " '" + text + "'";
                    }
                } catch (IOException ignored) {
                    // no value to show
                }
            }
            return path + value + " has the wrong type" + where + ", allowed " + expected(target);
        }
        Throwable cause = e.getCause();
        if (cause instanceof IllegalArgumentException) {
            return (path.isEmpty() ? "" : path + ".") + cause.getMessage() + where;
        }
        return (path.isEmpty() ? "" : path + ": ") + e.getOriginalMessage() + where;
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "a value of another type";
        }
        if (type.isEnum()) {
            List<String> names = new ArrayList<>();
            for (Object constant : type.getEnumConstants()) {
                String name = ((Enum<?>) constant).name();
                try {
                    JsonProperty p = type.getField(name).getAnnotation(JsonProperty.class);
                    names.add(p != null ? p.value() : name.toLowerCase(java.util.Locale.ROOT));
                } catch (NoSuchFieldException ex) {
                    names.add(name.toLowerCase(java.util.Locale.ROOT));
                }
            }
            return "one of " + names;
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "an integer";
        }
        if (type == Double.class || type == double.class || type == Float.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (List.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (java.util.Map.class.isAssignableFrom(type)) {
            return "a mapping of keys to values";
        }
        return "a mapping (section " + type.getSimpleName() + ")";
    }

    private static String path(List<JsonMappingException.Reference> refs) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : refs) {
            if (r.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String at(JsonLocation location) {
        return location == null || location.getLineNr() < 1 ? "" : " (line " + location.getLineNr() + ")";
    }
}
