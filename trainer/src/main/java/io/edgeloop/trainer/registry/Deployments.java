package io.edgeloop.trainer.registry;

import io.edgeloop.protocol.mqtt.DeviceStatus;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which devices run which registered version, matched by the SHA-256 of the model file in each device's status
 * (names and versions in a status are only what the card claims; the hash is what runs).
 *
 * @param byVersion  devices per registered version folder key {@code name/version}, each list sorted by device
 * @param unknown    devices whose active model is in no registered version, sorted by device
 * @param withoutModel devices that report no active model (or no hash), sorted by device
 */
public record Deployments(Map<String, List<DeviceStatus>> byVersion, List<DeviceStatus> unknown,
                          List<DeviceStatus> withoutModel) {

    /** No status read (no broker asked). */
    public static final Deployments NONE = new Deployments(Map.of(), List.of(), List.of());

    public Deployments {
        byVersion = Map.copyOf(byVersion);
        unknown = List.copyOf(unknown);
        withoutModel = List.copyOf(withoutModel);
    }

    /** Matches {@code statuses} (one per device) against the registered versions among {@code entries}. */
    public static Deployments match(Collection<DeviceStatus> statuses, List<RegistryEntry> entries) {
        Map<String, String> keyBySha = new HashMap<>();
        for (RegistryEntry e : entries) {
            if (e instanceof RegisteredVersion v) {
                keyBySha.putIfAbsent(v.sha256(), key(v));
            }
        }
        Map<String, List<DeviceStatus>> byVersion = new HashMap<>();
        List<DeviceStatus> unknown = new ArrayList<>();
        List<DeviceStatus> withoutModel = new ArrayList<>();
        for (DeviceStatus s : statuses.stream().sorted((a, b) -> a.device().compareTo(b.device())).toList()) {
            if (s.model() == null || s.model().sha256() == null) {
                withoutModel.add(s);
            } else if (keyBySha.containsKey(s.model().sha256())) {
                byVersion.computeIfAbsent(keyBySha.get(s.model().sha256()), k -> new ArrayList<>()).add(s);
            } else {
                unknown.add(s);
            }
        }
        return new Deployments(byVersion, unknown, withoutModel);
    }

    /** The devices running {@code version}, sorted. */
    public List<DeviceStatus> devices(RegisteredVersion version) {
        return byVersion.getOrDefault(key(version), List.of());
    }

    private static String key(RegisteredVersion v) {
        return v.name() + "/" + v.version();
    }
}
