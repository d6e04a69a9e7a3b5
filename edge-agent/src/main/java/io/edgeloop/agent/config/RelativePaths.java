package io.edgeloop.agent.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

/**
 * Resolves the relative paths in a config file against the file's folder, not the working directory: a config then
 * means the same in a shell, under systemd (whose {@code WorkingDirectory} differs) and for {@code check}, and a
 * profile copied into a folder of its own finds its files there. ffmpeg's {@code input} and {@code executable} are
 * passed to ffmpeg as written.
 */
final class RelativePaths {

    /** The keys that hold file or directory paths; {@code cameras[]} stands for every camera. */
    static final List<String> KEYS = List.of("stateDir", "model.path", "spool.dir", "mqtt.passwordFile",
            "mqtt.tls.caFile", "mqtt.tls.certFile", "mqtt.tls.keyFile", "mqtt.tls.keyPassphraseFile",
            "cameras[].source.path", "cameras[].source.moveTo", "cameras[].source.auth.passwordFile",
            "deploy.trustedKeys");

    private RelativePaths() {
    }

    /**
     * Rewrites every relative path under {@code root} (a config's YAML tree) as an absolute path under {@code base};
     * a missing {@code stateDir} becomes {@code <base>/state}, the default's place.
     */
    static void resolve(ObjectNode root, Path base) {
        if (!root.hasNonNull("stateDir")) {
            root.put("stateDir", "state");
        }
        for (String key : KEYS) {
            resolve(root, key.split("\\."), 0, "", base);
        }
    }

    private static void resolve(JsonNode node, String[] keys, int i, String at, Path base) {
        String key = keys[i];
        boolean list = key.endsWith("[]");
        String name = list ? key.substring(0, key.length() - 2) : key;
        JsonNode child = node.get(name);
        String path = at.isEmpty() ? name : at + "." + name;
        if (child == null || child.isNull()) {
            return;
        }
        if (list) {
            for (int k = 0; k < child.size(); k++) {
                resolve(child.get(k), keys, i + 1, path + "[" + k + "]", base);
            }
        } else if (i < keys.length - 1) {
            resolve(child, keys, i + 1, path, base);
        } else if (child.isTextual() && !child.asText().isBlank() && node instanceof ObjectNode parent) {
            parent.put(name, under(base, path, child.asText()));
        }
    }

    private static String under(Path base, String key, String value) {
        try {
            Path p = Path.of(value);
            return p.isAbsolute() ? value : base.resolve(p).normalize().toString();
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(key + " is '" + value + "', allowed a file path (" + e.getReason()
                    + ")", e);
        }
    }
}
