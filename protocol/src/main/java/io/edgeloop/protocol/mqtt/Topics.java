package io.edgeloop.protocol.mqtt;

import io.edgeloop.protocol.id.Ids;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The edgeloop topic scheme under a prefix (default {@value #DEFAULT_PREFIX}):
 * <pre>
 * &lt;prefix&gt;/&lt;device&gt;/status                 DeviceStatus         retained, QoS 1
 * &lt;prefix&gt;/&lt;device&gt;/&lt;camera&gt;/events        ClassificationEvent  QoS 1
 * &lt;prefix&gt;/&lt;device&gt;/metrics                DeviceMetrics        QoS 0
 * &lt;prefix&gt;/&lt;device&gt;/&lt;camera&gt;/hard          HardExample          QoS 1
 * &lt;prefix&gt;/&lt;device&gt;/deploy                 DeployCommand        retained, QoS 1
 * &lt;prefix&gt;/_fleet/deploy                   DeployCommand        retained, QoS 1 (every device)
 * &lt;prefix&gt;/&lt;device&gt;/deploy/status          DeployStatus         retained, QoS 1
 * </pre>
 * Device and camera ids follow {@link Ids#RULE}, so they never contain {@code /}, wildcards or a leading
 * {@code _}: every topic parses back to exactly one address, and {@code _fleet} cannot be a device.
 *
 * <p>Immutable; build topics for publishing, filters for subscribing, and {@link #parse} received topics.
 */
public final class Topics {

    /** Default topic prefix. */
    public static final String DEFAULT_PREFIX = "edgeloop";

    /** Topics under {@value #DEFAULT_PREFIX}. */
    public static final Topics DEFAULT = new Topics(DEFAULT_PREFIX);

    /** Level used in place of a device id for fleet-wide commands; not a valid device id. */
    public static final String FLEET_LEVEL = "_fleet";

    private static final int MAX_PREFIX_BYTES = 1024;

    private final String prefix;
    private final String[] prefixLevels;

    /**
     * @param prefix one or more topic levels, for example {@code edgeloop} or {@code site-3/edgeloop}
     * @throws IllegalArgumentException if the prefix is empty, has an empty level, a wildcard ({@code +} or
     *                                  {@code #}), a leading {@code $}, a NUL character, or is over 1024 bytes
     */
    public Topics(String prefix) {
        this.prefix = validPrefix(prefix);
        this.prefixLevels = prefix.split("/", -1);
    }

    /** The topic prefix. */
    public String prefix() {
        return prefix;
    }

    public String status(String device) {
        return prefix + "/" + Ids.requireDevice(device) + "/status";
    }

    public String events(String device, String camera) {
        return prefix + "/" + Ids.requireDevice(device) + "/" + Ids.requireCamera(camera) + "/events";
    }

    public String metrics(String device) {
        return prefix + "/" + Ids.requireDevice(device) + "/metrics";
    }

    public String hard(String device, String camera) {
        return prefix + "/" + Ids.requireDevice(device) + "/" + Ids.requireCamera(camera) + "/hard";
    }

    public String deploy(String device) {
        return prefix + "/" + Ids.requireDevice(device) + "/deploy";
    }

    public String fleetDeploy() {
        return prefix + "/" + FLEET_LEVEL + "/deploy";
    }

    public String deployStatus(String device) {
        return prefix + "/" + Ids.requireDevice(device) + "/deploy/status";
    }

    /** The topic an address stands for; the inverse of {@link #parse}. */
    public String topic(TopicAddress address) {
        return switch (address.kind()) {
            case STATUS -> status(address.device());
            case EVENTS -> events(address.device(), address.camera());
            case METRICS -> metrics(address.device());
            case HARD -> hard(address.device(), address.camera());
            case DEPLOY -> deploy(address.device());
            case FLEET_DEPLOY -> fleetDeploy();
            case DEPLOY_STATUS -> deployStatus(address.device());
        };
    }

    /**
     * Subscription filter for every topic of {@code kind} across all devices and cameras, for example
     * {@code edgeloop/+/+/hard}. For {@link TopicKind#FLEET_DEPLOY} it is the single fleet topic.
     */
    public String filter(TopicKind kind) {
        return switch (kind) {
            case STATUS -> prefix + "/+/status";
            case EVENTS -> prefix + "/+/+/events";
            case METRICS -> prefix + "/+/metrics";
            case HARD -> prefix + "/+/+/hard";
            case DEPLOY -> prefix + "/+/deploy";
            case FLEET_DEPLOY -> fleetDeploy();
            case DEPLOY_STATUS -> prefix + "/+/deploy/status";
        };
    }

    /** Subscription filter for every topic under the prefix ({@code edgeloop/#}). */
    public String filterAll() {
        return prefix + "/#";
    }

    /**
     * The MQTT 5 shared-subscription form of {@code filter}: {@code $share/<group>/<filter>}. Collectors subscribing
     * with the same group split the messages between them.
     *
     * @param group share group name, following the id rule {@link Ids#RULE}
     */
    public static String shared(String group, String filter) {
        Ids.require("shared subscription group", group);
        Objects.requireNonNull(filter, "filter");
        if (filter.isEmpty() || filter.startsWith("$")) {
            throw new IllegalArgumentException("filter is \"" + filter + "\", allowed a non-empty filter not"
                    + " starting with $");
        }
        return "$share/" + group + "/" + filter;
    }

    /**
     * Turns a received topic back into its address. Accepts only topics this scheme builds.
     *
     * @throws MessageRejectedException if the topic is not under the prefix, has an unknown shape or an invalid id
     */
    public TopicAddress parse(String topic) throws MessageRejectedException {
        if (topic == null) {
            throw new MessageRejectedException(null, "topic is missing", null);
        }
        String[] levels = topic.split("/", -1);
        int n = prefixLevels.length;
        boolean underPrefix = levels.length > n;
        for (int i = 0; underPrefix && i < n; i++) {
            underPrefix = levels[i].equals(prefixLevels[i]);
        }
        if (!underPrefix) {
            throw new MessageRejectedException(topic, "not an edgeloop topic: allowed topics under \"" + prefix
                    + "/\"", null);
        }
        int rest = levels.length - n;
        String a = levels[n];
        String b = rest > 1 ? levels[n + 1] : null;
        String c = rest > 2 ? levels[n + 2] : null;
        TopicKind kind = null;
        String device = a;
        String camera = null;
        if (rest == 2) {
            kind = switch (b) {
                case "status" -> TopicKind.STATUS;
                case "metrics" -> TopicKind.METRICS;
                case "deploy" -> a.equals(FLEET_LEVEL) ? TopicKind.FLEET_DEPLOY : TopicKind.DEPLOY;
                default -> null;
            };
        } else if (rest == 3) {
            if (b.equals("deploy") && c.equals("status")) {
                kind = TopicKind.DEPLOY_STATUS;
            } else if (c.equals("events") || c.equals("hard")) {
                kind = c.equals("events") ? TopicKind.EVENTS : TopicKind.HARD;
                camera = b;
            }
        }
        if (kind == null) {
            throw new MessageRejectedException(topic, "not an edgeloop topic: allowed " + prefix + "/<device>/status,"
                    + " " + prefix + "/<device>/<camera>/events, " + prefix + "/<device>/metrics, " + prefix
                    + "/<device>/<camera>/hard, " + prefix + "/<device>/deploy, " + prefix + "/" + FLEET_LEVEL
                    + "/deploy, " + prefix + "/<device>/deploy/status", null);
        }
        try {
            return new TopicAddress(kind, kind == TopicKind.FLEET_DEPLOY ? null : device, camera);
        } catch (IllegalArgumentException e) {
            throw new MessageRejectedException(topic, e.getMessage(), e);
        }
    }

    private static String validPrefix(String prefix) {
        String rule = ", allowed 1 or more non-empty topic levels without + or #, not starting with $,"
                + " at most " + MAX_PREFIX_BYTES + " bytes";
        if (prefix == null) {
            throw new IllegalArgumentException("topic prefix is missing" + rule);
        }
        String bad = null;
        if (prefix.isEmpty()) {
            bad = "is empty";
        } else if (prefix.startsWith("$")) {
            bad = "starts with $ (reserved for broker topics)";
        } else if (prefix.contains("+") || prefix.contains("#")) {
            bad = "contains a wildcard";
        } else if (prefix.startsWith("/") || prefix.endsWith("/") || prefix.contains("//")) {
            bad = "has an empty level";
        } else if (prefix.indexOf('\0') >= 0) {
            bad = "contains a NUL character";
        } else if (prefix.getBytes(StandardCharsets.UTF_8).length > MAX_PREFIX_BYTES) {
            bad = "is too long";
        }
        if (bad != null) {
            throw new IllegalArgumentException("topic prefix \"" + prefix + "\" " + bad + rule);
        }
        return prefix;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Topics t && t.prefix.equals(prefix);
    }

    @Override
    public int hashCode() {
        return prefix.hashCode();
    }

    @Override
    public String toString() {
        return "Topics[" + prefix + "]";
    }
}
