package io.edgeloop.agent.config;

import io.edgeloop.protocol.id.Ids;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The whole agent configuration, immutable once validated.
 *
 * @param deviceId               this device's id (a topic level)
 * @param stateDir               directory for the spool and other state (default {@code ./state}; systemd:
 *                               {@code /var/lib/edgeloop})
 * @param model                  the model to run
 * @param inference              ORT threads and decision rules
 * @param cameras                one or more cameras
 * @param events                 event publishing policy
 * @param mqtt                   broker connection
 * @param spool                  store-and-forward spool
 * @param metrics                metrics publishing
 * @param hardExamples           hard-example selection (each camera may change it: {@link #hardExamples(CameraConfig)})
 * @param homeAssistant          Home Assistant discovery
 * @param retry                  source retry backoff
 * @param shutdownTimeoutSeconds bound on a graceful shutdown (1..300, default 10)
 * @param deploy                 signed model deployment over MQTT, or null (disabled)
 * @param groups                 rollout groups this device belongs to ({@code trainer deploy --group}); ids, unique,
 *                               at most 16; empty when not given. Published in the retained status.
 */
public record AgentConfig(
        String deviceId,
        String stateDir,
        ModelConfig model,
        InferenceConfig inference,
        List<CameraConfig> cameras,
        EventsConfig events,
        MqttConfig mqtt,
        SpoolConfig spool,
        MetricsConfig metrics,
        HardExamplesConfig hardExamples,
        HomeAssistantConfig homeAssistant,
        RetryConfig retry,
        Integer shutdownTimeoutSeconds,
        DeployConfig deploy,
        List<String> groups) {

    /** At most this many groups per device. */
    public static final int MAX_GROUPS = 16;

    public AgentConfig {
        Ids.require("deviceId", deviceId);
        stateDir = stateDir == null || stateDir.isBlank() ? "state" : stateDir;
        if (model == null) {
            throw new IllegalArgumentException("model is missing, allowed a section with at least 'path'");
        }
        inference = inference == null ? InferenceConfig.DEFAULT : inference;
        if (cameras == null || cameras.isEmpty()) {
            throw new IllegalArgumentException("cameras is missing or empty, allowed a list of 1..64 cameras");
        }
        if (cameras.size() > 64) {
            throw new IllegalArgumentException("cameras has " + cameras.size() + " entries, allowed 1..64");
        }
        cameras = List.copyOf(cameras);
        Set<String> ids = new HashSet<>();
        for (CameraConfig c : cameras) {
            if (!ids.add(c.id())) {
                throw new IllegalArgumentException("cameras has the id '" + c.id() + "' twice, allowed unique ids");
            }
        }
        events = events == null ? EventsConfig.DEFAULT : events;
        if (mqtt == null) {
            throw new IllegalArgumentException("mqtt is missing, allowed a section with at least 'broker'");
        }
        spool = spool == null ? SpoolConfig.DEFAULT : spool;
        metrics = metrics == null ? MetricsConfig.DEFAULT : metrics;
        hardExamples = hardExamples == null ? HardExamplesConfig.DEFAULT : hardExamples;
        homeAssistant = homeAssistant == null ? HomeAssistantConfig.DEFAULT : homeAssistant;
        retry = retry == null ? RetryConfig.DEFAULT : retry;
        shutdownTimeoutSeconds = ConfigValues.intRange("shutdownTimeoutSeconds", shutdownTimeoutSeconds, 10, 1, 300);
        groups = groups(groups);
    }

    private static List<String> groups(List<String> groups) {
        if (groups == null) {
            return List.of();
        }
        if (groups.size() > MAX_GROUPS) {
            throw new IllegalArgumentException("groups has " + groups.size() + " entries, allowed 0.." + MAX_GROUPS);
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < groups.size(); i++) {
            String group = Ids.require("groups[" + i + "]", groups.get(i));
            if (!seen.add(group)) {
                throw new IllegalArgumentException("groups[" + i + "] is '" + group + "' twice, allowed unique"
                        + " group ids");
            }
        }
        return List.copyOf(groups);
    }

    /** The MQTT client id: configured, or {@code edgeloop-<deviceId>}. */
    public String clientId() {
        return mqtt.clientId() != null ? mqtt.clientId() : "edgeloop-" + deviceId;
    }

    /** The spool directory: configured, or {@code <stateDir>/spool}. */
    public java.nio.file.Path spoolDir() {
        return spool.dir() != null ? java.nio.file.Path.of(spool.dir()) : java.nio.file.Path.of(stateDir, "spool");
    }

    /** The hard-example settings of one camera: the global block with the camera's own block applied. */
    public HardExamplesConfig hardExamples(CameraConfig camera) {
        return hardExamples.forCamera(camera.hardExamples());
    }

    /**
     * Checks the hard-example settings against a model's labels: every class the classes selector names, globally or
     * for a camera, must be one of them.
     *
     * @throws IllegalArgumentException naming the key, the label and the model's labels
     */
    public void checkHardExampleLabels(List<String> labels) {
        checkClasses("hardExamples.selectors.classes.labels", hardExamples.selectors().classes(), labels);
        for (int i = 0; i < cameras.size(); i++) {
            CameraHardExamples own = cameras.get(i).hardExamples();
            if (own != null && own.selectors() != null) {
                checkClasses("cameras[" + i + "].hardExamples.selectors.classes.labels", own.selectors().classes(),
                        labels);
            }
        }
    }

    private static void checkClasses(String key, HardExampleSelectors.Classes classes, List<String> labels) {
        if (classes == null) {
            return;
        }
        for (int i = 0; i < classes.labels().size(); i++) {
            String label = classes.labels().get(i);
            if (!labels.contains(label)) {
                throw new IllegalArgumentException(key + "[" + i + "] is '" + label + "', allowed the model's labels "
                        + labels);
            }
        }
    }

    /** Copy with the command-line overrides applied (null keeps the configured value). */
    public AgentConfig withOverrides(String newDeviceId, String modelPath, String broker,
            List<CameraConfig> newCameras) {
        return new AgentConfig(newDeviceId != null ? newDeviceId : deviceId, stateDir,
                modelPath != null ? model.withPath(modelPath) : model, inference,
                newCameras != null ? newCameras : cameras, events,
                broker != null ? mqtt.withBroker(broker) : mqtt, spool, metrics, hardExamples, homeAssistant, retry,
                shutdownTimeoutSeconds, deploy, groups);
    }
}
