package io.edgeloop.trainer.loop;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.edgeloop.protocol.mqtt.Topics;
import io.edgeloop.trainer.model.FineTuneStrategy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * What one unattended retraining round needs, read from {@code loop.yaml} (see docs/closed-loop.md and
 * devices/workstation/loop.yaml). Relative paths are relative to the file's folder. Every error names the file, the
 * key's full path, the bad value and what is allowed.
 *
 * @param source       the config file, for messages
 * @param model        the registered model name the round continues
 * @param registry     the model registry
 * @param inbox        the collector's inbox, where people label hard examples
 * @param data         the curated training ImageFolder (without hard examples); its class folders are the classes
 * @param work         where rounds write their training trees, runs and round summaries
 * @param minNewLabels fewer usable new labels than this: the round does nothing
 * @param holdout      share of labelled hard examples kept for the gate and never trained on, 0 to 0.5
 * @param training     how the candidate is fine-tuned
 * @param gate         how the candidate is judged
 * @param deploy       where and how it is deployed
 */
public record LoopConfig(Path source, String model, Path registry, Path inbox, Path data, Path work,
                         int minNewLabels, double holdout, Training training, Gate gate, Deploy deploy) {

    /**
     * Fine-tuning settings.
     *
     * @param strategy     head, partial, full or auto (from the images per class, as {@code fit --strategy auto})
     * @param epochs       epochs
     * @param learningRate empty: the trainer's default
     * @param seed         empty: the trainer's default
     * @param augment      random crops and flips while training
     * @param threads      image decoding threads; empty: one per core
     */
    public record Training(FineTuneStrategy strategy, int epochs, OptionalDouble learningRate, OptionalLong seed,
                           boolean augment, OptionalInt threads) {
    }

    /**
     * The quality gate.
     *
     * @param data          held-out ImageFolder of the model's classes
     * @param alpha         significance level of "worse"
     * @param maxDropPoints also refuse an accuracy drop of more than this; empty: significance only
     * @param statusWait    seconds to collect the devices' retained status
     */
    public record Gate(Path data, double alpha, OptionalDouble maxDropPoints, int statusWait) {
    }

    /**
     * The deploy.
     *
     * @param broker       MQTT broker URI
     * @param device       the target device; empty with {@code fleet}
     * @param key          the Ed25519 private key that signs
     * @param waitSeconds  how long to follow the devices after publishing
     * @param prefix       topic prefix
     * @param username     MQTT user; empty: anonymous
     * @param passwordEnv  environment variable holding the password
     * @param passwordFile file holding the password
     * @param tlsCa        PEM CA to trust for an ssl:// broker (the fleet CA); empty: the JVM's trust store
     * @param tlsCert      PEM client certificate (with {@code tlsKey} and {@code tlsCa})
     * @param tlsKey       PKCS#8 PEM key of {@code tlsCert} (unencrypted)
     */
    public record Deploy(String broker, Optional<String> device, Path key, int waitSeconds, String prefix,
                         Optional<String> username, Optional<String> passwordEnv, Optional<Path> passwordFile,
                         Optional<Path> tlsCa, Optional<Path> tlsCert, Optional<Path> tlsKey) {
    }

    static final int DEFAULT_MIN_NEW_LABELS = 20;
    static final double DEFAULT_HOLDOUT = 0.2;
    private static final List<String> STRATEGIES = List.of("head", "partial", "full", "auto");
    private static final String TEMPLATE = "see devices/workstation/loop.yaml";

    /**
     * Reads and validates a config file.
     *
     * @throws IllegalArgumentException naming the file, key, value and what is allowed
     * @throws IOException              if the file cannot be read
     */
    public static LoopConfig load(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("--config " + file + " not found, allowed a loop.yaml (" + TEMPLATE
                    + ")", e);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IllegalArgumentException(file + ": not UTF-8 text, allowed a UTF-8 YAML file (" + TEMPLATE
                    + ")", e);
        }
        return parse(text, file);
    }

    /** Parses config text as if read from {@code file} (for messages and relative paths). */
    public static LoopConfig parse(String text, Path file) {
        String source = file.toString();
        JsonNode tree;
        try {
            ObjectMapper yaml = new ObjectMapper(YAMLFactory.builder().build()
                    .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION));
            tree = yaml.readTree(text);
        } catch (JsonProcessingException e) {
            String line = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
            throw new IllegalArgumentException(source + ": not valid YAML" + line + ": " + e.getOriginalMessage(), e);
        }
        if (tree == null || !tree.isObject()) {
            throw new IllegalArgumentException(source + ": not a YAML mapping, allowed a mapping with model, inbox,"
                    + " data, gate and deploy (" + TEMPLATE + ")");
        }
        Path base = file.toAbsolutePath().normalize().getParent();
        YamlSection top = new YamlSection(source, "", tree, base);
        String model = top.text("model", "the registered model name the round continues (as in models/<name>/)");
        Path registry = top.optionalPath("registry", "a folder").orElse(base.resolve("models"));
        Path inbox = top.path("inbox", "the collector's inbox folder (trainer collect --dir DIR: DIR/inbox)");
        Path data = top.path("data", "the training ImageFolder <label>/<image>");
        Path work = top.optionalPath("work", "a folder").orElse(base.resolve("retrain"));
        int minNew = top.integer("min-new-labels", DEFAULT_MIN_NEW_LABELS, 1, 1_000_000);
        double holdout = top.number("holdout", DEFAULT_HOLDOUT, 0, 0.5, "a share from 0 to 0.5 (e.g. 0.2)");
        Training training = training(top.optionalSection("training"));
        Gate gate = gate(top.section("gate"));
        Deploy deploy = deploy(top.section("deploy"));
        top.finish();
        return new LoopConfig(file, model, registry, inbox, data, work, minNew, holdout, training, gate, deploy);
    }

    private static Training training(YamlSection s) {
        String strategy = s.optionalText("strategy", YamlSection.oneOf(STRATEGIES)).orElse("auto");
        if (!STRATEGIES.contains(strategy)) {
            throw s.error(s.name("strategy") + " is '" + strategy + "', allowed " + YamlSection.oneOf(STRATEGIES));
        }
        int epochs = s.integer("epochs", 10, 1, 10_000);
        OptionalDouble lr = s.optionalNumber("learning-rate", 1e-7, 10, "a number from 1e-7 to 10");
        OptionalLong seed = s.has("seed") ? OptionalLong.of(s.integer("seed", 0, 0, Integer.MAX_VALUE))
                : OptionalLong.empty();
        boolean augment = s.bool("augment", true);
        OptionalInt threads = s.has("threads") ? OptionalInt.of(s.integer("threads", 1, 1, 256)) : OptionalInt.empty();
        s.finish();
        return new Training(FineTuneStrategy.valueOf(strategy.toUpperCase(Locale.ROOT)), epochs, lr, seed, augment,
                threads);
    }

    private static Gate gate(YamlSection s) {
        Path data = s.path("data", "a held-out ImageFolder <label>/<image> of the model's classes");
        double alpha = s.number("alpha", 0.05, Double.MIN_VALUE, 0.5, "0 < alpha <= 0.5 (e.g. 0.05)");
        OptionalDouble maxDrop = s.optionalNumber("max-drop", 0, 100, "0 to 100 accuracy points");
        int statusWait = s.integer("status-wait", 3, 1, 600);
        s.finish();
        return new Gate(data, alpha, maxDrop, statusWait);
    }

    private static Deploy deploy(YamlSection s) {
        String broker = s.text("broker", "an MQTT broker URI such as tcp://127.0.0.1:1883");
        Optional<String> device = s.optionalText("device", "a device id");
        boolean fleet = s.bool("fleet", false);
        Path key = s.path("key", "the Ed25519 private key file of 'trainer keys generate' (deploy.pem)");
        int wait = s.integer("wait", 300, 0, 86_400);
        String prefix = s.optionalText("prefix", "a topic prefix").orElse(Topics.DEFAULT_PREFIX);
        Optional<String> user = s.optionalText("username", "an MQTT user name");
        Optional<String> env = s.optionalText("password-env", "the name of an environment variable");
        Optional<Path> file = s.optionalPath("password-file", "a file holding the password");
        Optional<Path> ca = s.optionalPath("tls-ca", "a PEM file of the CA that signed the broker's certificate");
        Optional<Path> cert = s.optionalPath("tls-cert", "a PEM client certificate");
        Optional<Path> tlsKey = s.optionalPath("tls-key", "the PKCS#8 PEM key of tls-cert");
        s.finish();
        if (cert.isPresent() != tlsKey.isPresent() || cert.isPresent() && ca.isEmpty()) {
            throw s.error("deploy.tls-cert and deploy.tls-key go together and need deploy.tls-ca");
        }
        if (device.isPresent() == fleet) {
            throw s.error(fleet ? "deploy.device and deploy.fleet are both given, allowed one of them"
                    : "deploy.device is missing, allowed a device id, or fleet: true for every device");
        }
        return new Deploy(broker, device, key, wait, prefix, user, env, file, ca, cert, tlsKey);
    }
}
