package io.edgeloop.trainer.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.protocol.mqtt.ModelRef;
import io.edgeloop.protocol.mqtt.PredictionStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a model's fleet is compared with: the class mix of its training images and the top-1 confidence of its
 * validation images in the devices' bins, as {@code trainer fit} writes them into {@code metrics.json}
 * ({@code trainingDistribution}).
 *
 * @param model            the model they belong to
 * @param labels           the model's labels, in output order
 * @param trainCounts      training images per label
 * @param confidenceBins   validation top-1 confidence, {@value PredictionStats#BINS} bins; empty without validation
 * @param meanConfidence   mean validation top-1 confidence (0 without validation)
 * @param validationImages validation images behind the bins
 * @param temperature      the card's calibration temperature (the agent's scores use it)
 * @param binsTemperature  the temperature the validation bins were computed at: the card's for runs that wrote it
 *                         ({@code validationConfidence.temperature}), 1 (the network's own softmax) for older runs
 */
public record TrainingDistribution(ModelRef model, List<String> labels, List<Long> trainCounts,
                                   List<Long> confidenceBins, double meanConfidence, long validationImages,
                                   double temperature, double binsTemperature) {

    /** A distribution whose validation bins are at the card's temperature. */
    public TrainingDistribution(ModelRef model, List<String> labels, List<Long> trainCounts,
                                List<Long> confidenceBins, double meanConfidence, long validationImages,
                                double temperature) {
        this(model, labels, trainCounts, confidenceBins, meanConfidence, validationImages, temperature, temperature);
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    public TrainingDistribution {
        Objects.requireNonNull(model, "model");
        labels = List.copyOf(labels);
        trainCounts = List.copyOf(trainCounts);
        confidenceBins = List.copyOf(confidenceBins);
        if (labels.size() != trainCounts.size()) {
            throw new IllegalArgumentException("trainClassCounts has " + trainCounts.size() + " entries, allowed one"
                    + " per label (" + labels.size() + ")");
        }
        if (!confidenceBins.isEmpty() && confidenceBins.size() != PredictionStats.BINS) {
            throw new IllegalArgumentException("validationConfidence.bins has " + confidenceBins.size()
                    + " counts, allowed " + PredictionStats.BINS);
        }
    }

    /** Whether the validation bins were computed at another temperature than the devices' scores use. */
    public boolean binsAtOtherTemperature() {
        return hasConfidence() && Math.abs(temperature - binsTemperature) > 1e-6;
    }

    /** Whether the validation confidence is known. */
    public boolean hasConfidence() {
        return validationImages > 0;
    }

    /**
     * Reads the {@code trainingDistribution} of a run's or registered version's {@code metrics.json}.
     *
     * @param temperature the model card's temperature
     * @throws IllegalArgumentException if the file is missing, not JSON, or has no usable training distribution
     *                                  (naming the file and what is wrong)
     */
    public static TrainingDistribution read(Path metricsJson, ModelRef model, double temperature)
            throws IOException {
        JsonNode doc;
        try {
            doc = JSON.readTree(Files.readAllBytes(metricsJson));
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no " + metricsJson.getFileName() + " beside the model ("
                    + metricsJson + "): the training distribution comes from the metrics.json trainer fit writes"
                    + " (a run folder or a registered version)", e);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(metricsJson + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        JsonNode distribution = doc.path("trainingDistribution");
        if (!distribution.isObject() || !distribution.path("trainClassCounts").isObject()) {
            throw new IllegalArgumentException(metricsJson + " has no trainingDistribution.trainClassCounts (runs"
                    + " trained before drift telemetry lack it: fit again, or compare against another version)");
        }
        List<String> labels = new ArrayList<>();
        List<Long> counts = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> it = distribution.get("trainClassCounts").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().canConvertToLong() || e.getValue().asLong() < 0) {
                throw new IllegalArgumentException(metricsJson + ": trainingDistribution.trainClassCounts."
                        + e.getKey() + " is " + e.getValue() + ", allowed an integer >= 0");
            }
            labels.add(e.getKey());
            counts.add(e.getValue().asLong());
        }
        JsonNode confidence = distribution.path("validationConfidence");
        List<Long> bins = new ArrayList<>();
        double mean = 0;
        long images = 0;
        double binsTemperature = 1.0;
        if (confidence.isObject()) {
            binsTemperature = confidence.path("temperature").asDouble(1.0);
            for (JsonNode b : confidence.path("bins")) {
                bins.add(b.asLong());
            }
            mean = confidence.path("mean").asDouble();
            images = confidence.path("images").asLong();
        }
        try {
            return new TrainingDistribution(model, labels, counts, bins, mean, images, temperature,
                    binsTemperature);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(metricsJson + ": " + e.getMessage(), e);
        }
    }

    /** Share of each label among the training images, in label order. */
    public double[] classShares() {
        return Divergence.shares(trainCounts);
    }
}
