package io.edgeloop.protocol.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeloop.protocol.json.ProtocolJson;
import io.edgeloop.protocol.preprocess.PreprocessSpec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Everything a consumer needs to run a classifier correctly, stored as JSON inside the ONNX file's metadata under
 * {@value #METADATA_KEY}. Immutable; every constructor argument is validated and a bad one fails with a message
 * naming its JSON path, the bad value and what is allowed (for example
 * {@code input.shape is [1, 3, 224], allowed [N, 3, H, W] …}).
 *
 * <p>The JSON form is documented in {@code docs/model-card.md} and {@code docs/schemas/model-card.schema.json}.
 *
 * @param schema        card format version, always {@value #SCHEMA}
 * @param name          model name, a directory name: {@code [A-Za-z0-9][A-Za-z0-9._-]{0,127}}
 * @param version       model version, same rule as the name
 * @param created       when the package was made (UTC)
 * @param labels        class labels in output order: non-empty, unique, non-blank
 * @param input         image input tensor name and NCHW shape; H and W equal {@code preprocessing.cropSize}
 * @param preprocessing resize, crop, normalisation and colour order (shared with the trainer's data pipeline)
 * @param output        output kind (logits or probabilities) and tensor names
 * @param temperature   calibration temperature applied to logits before softmax, {@code > 0}; 1.0 when uncalibrated
 * @param thresholds    per-class score thresholds for a target precision ({@link ClassThresholds}); {@code null} when
 *                      none were computed (cards written before they existed, or no validation images)
 * @param baseModel     pretrained model this one was fine-tuned from; {@code null} for a model not derived from one
 * @param trainingData  fingerprint of the training data (for example {@code sha256:<hex>}); {@code null} if unknown
 * @param metrics       headline metrics (name to finite number), for example {@code val_accuracy}; may be empty
 * @param notes         free provenance notes (name to text), for example the trainer version or command; may be empty
 * @param quantization  how an int8 package was made from its fp32 package and both accuracies ({@link Quantization});
 *                      {@code null} for an fp32 package (every card written before the field existed)
 */
public record ModelCard(
        int schema,
        String name,
        String version,
        Instant created,
        List<String> labels,
        InputSpec input,
        PreprocessSpec preprocessing,
        OutputSpec output,
        double temperature,
        ClassThresholds thresholds,
        BaseModel baseModel,
        String trainingData,
        Map<String, Double> metrics,
        Map<String, String> notes,
        Quantization quantization) {

    /** Key of the ONNX {@code metadata_props} entry that holds the card JSON. */
    public static final String METADATA_KEY = "edgeloop.model_card";

    /** The card format version this code reads and writes. */
    public static final int SCHEMA = 1;

    /** Upper bound on the number of labels, far above any classifier; guards against absurd cards. */
    public static final int MAX_LABELS = 100_000;

    private static final int MAX_TEXT = 256;
    private static final String LABELS_RULE = "a non-empty list of unique, non-blank strings (at most "
            + MAX_LABELS + " labels of at most " + MAX_TEXT + " characters)";

    public ModelCard {
        if (schema != SCHEMA) {
            throw new IllegalArgumentException("schema is " + schema + ", allowed " + SCHEMA);
        }
        Names.requireName("name", name);
        Names.requireName("version", version);
        if (created == null) {
            throw new IllegalArgumentException(
                    "created is missing, allowed an ISO-8601 UTC instant such as 2026-11-28T18:00:00Z");
        }
        labels = validLabels(labels);
        if (input == null) {
            throw new IllegalArgumentException("input is missing, allowed {name, shape}");
        }
        if (preprocessing == null) {
            throw new IllegalArgumentException("preprocessing is missing, allowed {resize, resizeSize, cropSize,"
                    + " mean, std, valueScale, colourOrder}");
        }
        if (input.height() != preprocessing.cropSize() || input.width() != preprocessing.cropSize()) {
            throw new IllegalArgumentException("input.shape is " + input.shape()
                    + ", allowed height and width equal to preprocessing.cropSize (" + preprocessing.cropSize() + ")");
        }
        if (output == null) {
            throw new IllegalArgumentException("output is missing, allowed {kind, name, probabilities}");
        }
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature is " + temperature + ", allowed a finite number > 0"
                    + " (1.0 when uncalibrated)");
        }
        if (thresholds != null) {
            for (String label : thresholds.perClass().keySet()) {
                if (!labels.contains(label)) {
                    throw new IllegalArgumentException("thresholds.perClass names the label \"" + label
                            + "\", allowed one of the card's labels " + labels);
                }
            }
        }
        if (trainingData != null) {
            Names.requireText("trainingData", trainingData, MAX_TEXT);
        }
        metrics = validMetrics(metrics);
        notes = validNotes(notes);
    }

    /** A builder with {@code schema} 1, temperature 1.0 and empty metrics and notes preset. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder preset with every field of this card, to derive a changed copy. */
    public Builder toBuilder() {
        return new Builder().setName(name).setVersion(version).setCreated(created).setLabels(labels)
                .setInput(input).setPreprocessing(preprocessing).setOutput(output).optTemperature(temperature)
                .optThresholds(thresholds).optBaseModel(baseModel).optTrainingData(trainingData).optMetrics(metrics)
                .optNotes(notes).optQuantization(quantization);
    }

    /** Index of {@code label} in {@link #labels()}. */
    public int labelIndex(String label) {
        int i = labels.indexOf(label);
        if (i < 0) {
            throw new IllegalArgumentException("label \"" + label + "\" is not in the card, allowed one of " + labels);
        }
        return i;
    }

    /** The card as compact JSON, as stored in the ONNX metadata. */
    public String toJson() {
        try {
            return ProtocolJson.writer().writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise model card " + name + " " + version, e);
        }
    }

    /** The card as indented JSON, for people. */
    public String toPrettyJson() {
        try {
            return ProtocolJson.prettyWriter().writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise model card " + name + " " + version, e);
        }
    }

    /**
     * Parses and validates card JSON. {@code temperature}, {@code thresholds}, {@code baseModel},
     * {@code trainingData}, {@code metrics}, {@code notes}, {@code quantization} and {@code output.probabilities}
     * may be absent; everything else is required. Unknown fields are rejected, so a misspelt optional field cannot
     * silently fall back to its default.
     *
     * @throws IllegalArgumentException naming the JSON path, the bad value and what is allowed
     */
    public static ModelCard fromJson(String json) {
        Objects.requireNonNull(json, "json");
        JsonNode tree = ProtocolJson.parseTree(json.getBytes(StandardCharsets.UTF_8));
        if (!(tree instanceof ObjectNode object)) {
            throw new IllegalArgumentException("model card is a JSON " + tree.getNodeType().name().toLowerCase()
                    + ", allowed a JSON object");
        }
        JsonNode schemaNode = object.get("schema");
        if (schemaNode == null) {
            throw new IllegalArgumentException("schema is missing, allowed " + SCHEMA);
        }
        if (!schemaNode.isInt() || schemaNode.intValue() != SCHEMA) {
            throw new IllegalArgumentException("schema is " + schemaNode + ", allowed " + SCHEMA);
        }
        if (!object.has("temperature")) {
            object.put("temperature", 1.0);
        }
        return ProtocolJson.bind(ProtocolJson.strictReader(), object, ModelCard.class);
    }

    private static List<String> validLabels(List<String> labels) {
        if (labels == null) {
            throw new IllegalArgumentException("labels is missing, allowed " + LABELS_RULE);
        }
        if (labels.isEmpty() || labels.size() > MAX_LABELS) {
            throw new IllegalArgumentException("labels has " + labels.size() + " entries, allowed " + LABELS_RULE);
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < labels.size(); i++) {
            String label = labels.get(i);
            if (label == null || label.isBlank() || label.length() > MAX_TEXT) {
                throw new IllegalArgumentException("labels[" + i + "] is "
                        + (label == null ? "null" : "\"" + Names.abbreviate(label) + "\"")
                        + ", allowed a non-blank string of at most " + MAX_TEXT + " characters");
            }
            Integer first = seen.putIfAbsent(label, i);
            if (first != null) {
                throw new IllegalArgumentException("labels[" + i + "] is \"" + label + "\", a duplicate of labels["
                        + first + "], allowed " + LABELS_RULE);
            }
        }
        return Collections.unmodifiableList(new ArrayList<>(labels));
    }

    private static Map<String, Double> validMetrics(Map<String, Double> metrics) {
        if (metrics == null) {
            return Map.of();
        }
        TreeMap<String, Double> copy = new TreeMap<>();
        for (Map.Entry<String, Double> e : metrics.entrySet()) {
            String key = e.getKey();
            if (key == null || key.isBlank() || key.length() > MAX_TEXT) {
                throw new IllegalArgumentException("metrics has a metric named \"" + key
                        + "\", allowed non-blank names of at most " + MAX_TEXT + " characters");
            }
            Double value = e.getValue();
            if (value == null || !Double.isFinite(value)) {
                throw new IllegalArgumentException("metrics." + key + " is " + value + ", allowed a finite number");
            }
            copy.put(key, value);
        }
        return Collections.unmodifiableMap(copy);
    }

    private static Map<String, String> validNotes(Map<String, String> notes) {
        if (notes == null) {
            return Map.of();
        }
        TreeMap<String, String> copy = new TreeMap<>();
        for (Map.Entry<String, String> e : notes.entrySet()) {
            String key = e.getKey();
            if (key == null || key.isBlank() || key.length() > MAX_TEXT) {
                throw new IllegalArgumentException("notes has a note named \"" + key
                        + "\", allowed non-blank names of at most " + MAX_TEXT + " characters");
            }
            if (e.getValue() == null) {
                throw new IllegalArgumentException("notes." + key + " is null, allowed a string");
            }
            copy.put(key, e.getValue());
        }
        return Collections.unmodifiableMap(copy);
    }

    /**
     * Builds a {@link ModelCard}: {@code set*} for required fields, {@code opt*} for optional ones. Validation happens
     * in {@link #build()}.
     */
    public static final class Builder {
        private String name;
        private String version;
        private Instant created;
        private List<String> labels;
        private InputSpec input;
        private PreprocessSpec preprocessing;
        private OutputSpec output;
        private double temperature = 1.0;
        private ClassThresholds thresholds;
        private BaseModel baseModel;
        private String trainingData;
        private Map<String, Double> metrics = Map.of();
        private Map<String, String> notes = Map.of();
        private Quantization quantization;

        private Builder() {
        }

        public Builder setName(String name) {
            this.name = name;
            return this;
        }

        public Builder setVersion(String version) {
            this.version = version;
            return this;
        }

        public Builder setCreated(Instant created) {
            this.created = created;
            return this;
        }

        public Builder setLabels(List<String> labels) {
            this.labels = labels;
            return this;
        }

        public Builder setInput(InputSpec input) {
            this.input = input;
            return this;
        }

        public Builder setPreprocessing(PreprocessSpec preprocessing) {
            this.preprocessing = preprocessing;
            return this;
        }

        public Builder setOutput(OutputSpec output) {
            this.output = output;
            return this;
        }

        public Builder optTemperature(double temperature) {
            this.temperature = temperature;
            return this;
        }

        /** Per-class thresholds; {@code null} (the default) for none. */
        public Builder optThresholds(ClassThresholds thresholds) {
            this.thresholds = thresholds;
            return this;
        }

        public Builder optBaseModel(BaseModel baseModel) {
            this.baseModel = baseModel;
            return this;
        }

        public Builder optTrainingData(String trainingData) {
            this.trainingData = trainingData;
            return this;
        }

        public Builder optMetrics(Map<String, Double> metrics) {
            this.metrics = metrics;
            return this;
        }

        public Builder optNotes(Map<String, String> notes) {
            this.notes = notes;
            return this;
        }

        /** How an int8 package was quantised; {@code null} (the default) for an fp32 package. */
        public Builder optQuantization(Quantization quantization) {
            this.quantization = quantization;
            return this;
        }

        /** Validates and builds the card; fails like the {@link ModelCard} constructor. */
        public ModelCard build() {
            return new ModelCard(SCHEMA, name, version, created, labels, input, preprocessing, output, temperature,
                    thresholds, baseModel, trainingData, metrics, notes, quantization);
        }
    }
}
