package io.edgeloop.protocol.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.edgeloop.protocol.preprocess.PreprocessSpec;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The single place where the protocol's JSON mapping is configured, shared by the model card and the MQTT payloads.
 *
 * <p>Conventions: instants are ISO-8601 strings ({@code 2026-11-28T18:00:00Z}); {@code null} fields are omitted;
 * map entries are written sorted by key so equal values give equal bytes; a JSON {@code null} for a number is an
 * error, never a silent 0. The mapper itself stays private: callers get immutable {@link ObjectReader}s and
 * {@link ObjectWriter}s, so no one can reconfigure it.
 */
public final class ProtocolJson {

    // Payloads carry at most a few MiB (base64 JPEGs): keep Jackson's parser guards but allow such strings.
    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxStringLength(64 * 1024 * 1024).maxNestingDepth(64).build())
                    .build())
            .addModule(new JavaTimeModule())
            // Registered after JavaTimeModule, so it wins: instants are ISO-8601 strings only, never epoch numbers.
            .addModule(new SimpleModule("edgeloop-instant").addDeserializer(Instant.class, new StrictInstant()))
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .addMixIn(PreprocessSpec.class, PreprocessSpecRequired.class)
            // A number or boolean where text belongs is a wrong type, not text.
            .withCoercionConfig(LogicalType.Textual, c -> c
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .build();

    private static final Pattern SOURCE = Pattern.compile("\\[Source: .*?; line: (\\d+), column: (\\d+)\\]");

    private ProtocolJson() {
    }

    /** Reader that fails on fields it does not know (model card: a typo must not silently fall back to a default). */
    public static ObjectReader strictReader() {
        return MAPPER.reader().with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    /** Reader that ignores fields it does not know (MQTT payloads: additive changes keep the schema version). */
    public static ObjectReader tolerantReader() {
        return MAPPER.reader().without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    /** Compact writer (one line, no trailing newline). */
    public static ObjectWriter writer() {
        return MAPPER.writer();
    }

    /** Indented writer for files meant to be read by people. */
    public static ObjectWriter prettyWriter() {
        return MAPPER.writerWithDefaultPrettyPrinter();
    }

    /**
     * Parses JSON text into a tree.
     *
     * @throws IllegalArgumentException "not valid JSON (…)" naming line and column
     */
    public static JsonNode parseTree(byte[] json) {
        try {
            JsonNode node = strictReader().readTree(json);
            if (node == null || node.isMissingNode()) {
                throw new IllegalArgumentException("not valid JSON (empty input)");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON (" + withoutSource(e.getOriginalMessage())
                    + location(e) + ")", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("not valid JSON (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Binds a tree to a record type with the given reader.
     *
     * @throws IllegalArgumentException naming the JSON path of the bad field, its value and what is allowed
     */
    public static <T> T bind(ObjectReader reader, JsonNode tree, Class<T> type) {
        try {
            return reader.forType(type).readValue(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(describe(e, tree), e);
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /**
     * Explains a binding failure as {@code <path> is <value>, allowed <rule>} (or {@code <path> is missing}), using
     * the record's own validation message where the failure came from a compact constructor.
     */
    static String describe(JsonProcessingException e, JsonNode tree) {
        List<JsonMappingException.Reference> refs = e instanceof JsonMappingException m ? m.getPath() : List.of();
        String path = path(refs);
        if (e instanceof ValueInstantiationException && e.getCause() != null
                && e.getCause().getMessage() != null) {
            return prefixed(path, e.getCause().getMessage());
        }
        if (e instanceof UnrecognizedPropertyException u) {
            return path + " is not a known field, allowed fields " + knownFields(u);
        }
        if (e instanceof InvalidFormatException f) {
            return path + " is " + quoted(f.getValue()) + ", allowed " + expected(f.getTargetType());
        }
        if (e instanceof MismatchedInputException mi) {
            String original = e.getOriginalMessage();
            if (original != null && original.startsWith("Missing required creator property")) {
                return path + " is missing" + allowedSuffix(mi.getTargetType());
            }
            if (original != null && original.startsWith("Cannot map `null`")) {
                return path + " is null" + allowedSuffix(mi.getTargetType());
            }
            JsonNode value = at(tree, refs);
            return path + (value == null ? " has the wrong JSON type" : " is " + value)
                    + allowedSuffix(mi.getTargetType());
        }
        JsonNode value = at(tree, refs);
        if (!path.isEmpty() && value != null) {
            return path + " is " + value + " (" + e.getOriginalMessage() + ")";
        }
        return (path.isEmpty() ? "" : path + ": ") + e.getOriginalMessage();
    }

    private static List<String> knownFields(UnrecognizedPropertyException u) {
        Class<?> type = u.getReferringClass();
        if (type != null && type.isRecord()) {
            return Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).toList();
        }
        return u.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList();
    }

    /** The node the failure points at, or {@code null} if the path cannot be followed. */
    private static JsonNode at(JsonNode tree, List<JsonMappingException.Reference> refs) {
        JsonNode node = tree;
        for (JsonMappingException.Reference ref : refs) {
            if (node == null) {
                return null;
            }
            node = ref.getFieldName() != null ? node.get(ref.getFieldName())
                    : ref.getIndex() >= 0 ? node.get(ref.getIndex()) : null;
        }
        return node;
    }

    private static String prefixed(String path, String message) {
        if (path.isEmpty() || message.startsWith(path + ".") || message.startsWith(path + " ")
                || message.startsWith(path + "[")) {
            return message;
        }
        return path + "." + message;
    }

    private static String path(List<JsonMappingException.Reference> refs) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : refs) {
            if (ref.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String allowedSuffix(Class<?> target) {
        return target == null ? "" : ", allowed " + expected(target);
    }

    private static String expected(Class<?> target) {
        if (target == null) {
            return "another value";
        }
        if (target.isEnum()) {
            return "one of " + enumNames(target);
        }
        if (target == int.class || target == Integer.class || target == long.class || target == Long.class) {
            return "an integer";
        }
        if (target == double.class || target == Double.class || target == float.class) {
            return "a number";
        }
        if (target == boolean.class || target == Boolean.class) {
            return "true or false";
        }
        if (target == String.class) {
            return "a string";
        }
        if (target == java.time.Instant.class) {
            return "an ISO-8601 UTC instant such as 2026-11-28T18:00:00Z";
        }
        if (List.class.isAssignableFrom(target)) {
            return "a JSON array";
        }
        return "a JSON object (" + target.getSimpleName() + ")";
    }

    private static List<String> enumNames(Class<?> enumType) {
        List<String> names = new ArrayList<>();
        for (Object constant : enumType.getEnumConstants()) {
            String name = ((Enum<?>) constant).name();
            try {
                JsonProperty p = enumType.getField(name).getAnnotation(JsonProperty.class);
                names.add(p != null && !p.value().isEmpty() ? p.value() : name);
            } catch (NoSuchFieldException e) {
                names.add(name);
            }
        }
        return names;
    }

    private static String quoted(Object value) {
        return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
    }

    /** Jackson names the input source in nested locations; the caller already knows it, keep line and column. */
    private static String withoutSource(String message) {
        return message == null ? "" : SOURCE.matcher(message).replaceAll("line $1, column $2");
    }

    private static String location(JsonProcessingException e) {
        return e.getLocation() == null ? ""
                : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
    }

    /** Reads an instant only from an ISO-8601 string with a zone offset ({@code Z} or {@code +01:00}). */
    private static final class StrictInstant extends StdScalarDeserializer<Instant> {
        StrictInstant() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (!p.hasToken(JsonToken.VALUE_STRING)) {
                return (Instant) ctxt.handleUnexpectedToken(Instant.class, p);
            }
            String text = p.getText();
            try {
                return DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(text, Instant::from);
            } catch (DateTimeParseException e) {
                throw ctxt.weirdStringException(text, Instant.class, "not an ISO-8601 instant");
            }
        }
    }

    /** Makes every preprocessing field required: a missing number must not bind as 0. */
    abstract static class PreprocessSpecRequired {
        @JsonProperty(required = true)
        abstract Object resize();

        @JsonProperty(required = true)
        abstract int resizeSize();

        @JsonProperty(required = true)
        abstract int cropSize();

        @JsonProperty(required = true)
        abstract List<Double> mean();

        @JsonProperty(required = true)
        abstract List<Double> std();

        @JsonProperty(required = true)
        abstract double valueScale();

        @JsonProperty(required = true)
        abstract Object colourOrder();
    }
}
