package io.edgeloop.trainer.cli;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.edgeloop.protocol.json.ProtocolJson;
import io.edgeloop.protocol.mqtt.DeviceState;
import io.edgeloop.protocol.mqtt.DeviceStatus;
import io.edgeloop.protocol.mqtt.Topics;
import io.edgeloop.trainer.job.ModelDetails;
import io.edgeloop.trainer.job.ModelsListing;
import io.edgeloop.trainer.job.RegistryJob;
import io.edgeloop.trainer.job.StatusSource;
import io.edgeloop.trainer.registry.BrokenVersion;
import io.edgeloop.trainer.registry.Deployments;
import io.edgeloop.trainer.registry.ModelRegistry;
import io.edgeloop.trainer.registry.RegisteredVersion;
import io.edgeloop.trainer.registry.RegistryEntry;
import io.edgeloop.trainer.registry.ValidationAccuracy;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code trainer models list|show}: the registry's versions ({@code models/<name>/<version>/}), their lineage and,
 * with {@code --broker}, which devices run them (from the devices' retained status, matched by SHA-256).
 */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = "The model registry: register runs, list versions, their lineage and where they run.",
        subcommands = {ModelsCommand.ListVersions.class, ModelsCommand.Show.class, ModelsCommand.Add.class})
public final class ModelsCommand implements Callable<Integer> {

    static final int WIDTH = 80;
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    @Override
    public Integer call() {
        throw new IllegalArgumentException("missing subcommand, allowed list, show or add");
    }

    /** {@code --registry} and the status options both subcommands share. */
    static final class RegistryOptions {

        @Option(names = "--registry", paramLabel = "DIR", defaultValue = ModelRegistry.DEFAULT_FOLDER,
                description = "Registry folder. Default: ${DEFAULT-VALUE}.")
        Path registry;

        @Option(names = "--json", description = "Print JSON on stdout.")
        boolean json;

        @Option(names = "--broker", paramLabel = "URI",
                description = "Also show which devices run each version, from their retained status.")
        String broker;

        @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "2",
                description = "With --broker: how long to collect status. Default: ${DEFAULT-VALUE}.")
        double waitSeconds;

        @Option(names = "--prefix", defaultValue = Topics.DEFAULT_PREFIX, paramLabel = "PREFIX",
                description = "Topic prefix. Default: ${DEFAULT-VALUE}.")
        String prefix;

        @Option(names = "--client-id", paramLabel = "ID",
                description = "MQTT client id. Default: edgeloop-models-<pid>.")
        String clientId;

        @Mixin
        MqttLoginOptions login;

        Optional<StatusSource> status() {
            if (broker == null) {
                return Optional.empty();
            }
            if (!(waitSeconds > 0) || waitSeconds > 600) {
                throw new IllegalArgumentException("--wait is " + waitSeconds + ", allowed 0 < SECONDS <= 600");
            }
            String id = clientId != null ? clientId : "edgeloop-models-" + ProcessHandle.current().pid();
            return Optional.of(new StatusSource(broker, Duration.ofMillis(Math.round(waitSeconds * 1000)),
                    new Topics(prefix), id, login.credentials(System.getenv())));
        }
    }

    /** {@code trainer models list}. */
    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "One line per registered version: name, version, created, validation accuracy, parent.")
    static final class ListVersions implements Callable<Integer> {

        @Spec
        private CommandSpec spec;

        @Mixin
        RegistryOptions options;

        @Override
        public Integer call() throws Exception {
            ModelsListing listing = new RegistryJob(options.registry).list(options.status());
            PrintWriter out = spec.commandLine().getOut();
            if (options.json) {
                out.println(JSON.writeValueAsString(listingDocument(listing)));
            } else {
                printListing(out, listing);
            }
            out.flush();
            return ExitCodes.OK;
        }
    }

    /** {@code trainer models show NAME VERSION}. */
    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "One version: its card, lineage, metrics and (with --broker) where it runs.")
    static final class Show implements Callable<Integer> {

        @Spec
        private CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", description = "Model name.")
        String name;

        @Parameters(index = "1", paramLabel = "VERSION", description = "Model version.")
        String version;

        @Mixin
        RegistryOptions options;

        @Override
        public Integer call() throws Exception {
            ModelDetails details = new RegistryJob(options.registry).show(name, version, options.status());
            PrintWriter out = spec.commandLine().getOut();
            if (options.json) {
                out.println(JSON.writeValueAsString(detailsDocument(details)));
            } else {
                printDetails(out, details);
            }
            out.flush();
            return ExitCodes.OK;
        }
    }

    /** {@code trainer models add RUN_DIR --data DIR}: registers a run made by {@code fit} without --register. */
    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Register a finished fit run folder (model.onnx, report.html, metrics.json).")
    static final class Add implements Callable<Integer> {

        @Spec
        private CommandSpec spec;

        @Parameters(index = "0", paramLabel = "RUN_DIR", description = "The run's folder (fit --out).")
        Path run;

        @Option(names = "--data", required = true, paramLabel = "DIR",
                description = "The training ImageFolder the run was fitted on (for its hard examples).")
        Path data;

        @Option(names = "--registry", paramLabel = "DIR", defaultValue = ModelRegistry.DEFAULT_FOLDER,
                description = "Registry folder. Default: ${DEFAULT-VALUE}.")
        Path registry;

        @Override
        public Integer call() throws Exception {
            RegisteredVersion v = new RegistryJob(registry).add(run, data);
            PrintWriter out = spec.commandLine().getOut();
            out.println("registered: " + v.folder() + v.parent().map(p -> " (parent " + p.version()
                    + (p.registered() ? "" : ", not registered") + ")").orElse(""));
            out.flush();
            return ExitCodes.OK;
        }
    }

    // ---- text

    static void printListing(PrintWriter out, ModelsListing listing) {
        List<RegistryEntry> entries = listing.entries();
        if (entries.isEmpty()) {
            out.println("no versions registered in " + listing.registry());
        } else {
            int nameWidth = width(entries.stream().map(RegistryEntry::name).toList(), "NAME", 14);
            int versionWidth = width(entries.stream().map(RegistryEntry::version).toList(), "VERSION", 15);
            String format = "%-" + nameWidth + "s  %-" + versionWidth + "s  %-16s  %-12s  %s";
            int parentWidth = Math.max(6, WIDTH - nameWidth - versionWidth - 16 - 12 - 8);
            out.println(String.format(Locale.ROOT, format, "NAME", "VERSION", "CREATED (UTC)", "VAL ACC %",
                    "PARENT").stripTrailing());
            for (RegistryEntry e : entries) {
                String name = cut(e.name(), nameWidth);
                String version = cut(e.version(), versionWidth);
                if (e instanceof RegisteredVersion v) {
                    out.println(String.format(Locale.ROOT, format, name, version, MINUTE.format(v.card().created()),
                            shortAccuracy(v.accuracy()), cut(parent(v), parentWidth)).stripTrailing());
                    if (listing.statusRead()) {
                        List<DeviceStatus> on = listing.deployments().devices(v);
                        if (!on.isEmpty()) {
                            wrap(out, "  runs on: ", devices(on));
                        }
                    }
                } else if (e instanceof BrokenVersion b) {
                    wrap(out, String.format(Locale.ROOT, "%-" + nameWidth + "s  %-" + versionWidth + "s  ", name,
                            version), "BROKEN: " + b.reason());
                }
            }
        }
        if (listing.statusRead()) {
            printOtherDevices(out, listing.deployments());
        }
    }

    private static void printOtherDevices(PrintWriter out, Deployments deployments) {
        if (!deployments.unknown().isEmpty()) {
            List<String> text = deployments.unknown().stream().map(s -> s.device() + " (" + s.model().name() + " "
                    + s.model().version() + ", sha256 " + s.model().sha256().substring(0, 12) + ")").toList();
            wrap(out, "not in the registry: ", String.join(", ", text));
        }
        if (!deployments.withoutModel().isEmpty()) {
            wrap(out, "no active model: ", devices(deployments.withoutModel()));
        }
    }

    static void printDetails(PrintWriter out, ModelDetails d) {
        RegisteredVersion v = d.version();
        out.println(v.name() + " " + v.version());
        row(out, "folder", v.folder().toString());
        row(out, "created", v.card().created().toString());
        row(out, "sha256", v.sha256());
        row(out, "labels", String.join(", ", v.card().labels()));
        row(out, "val acc", v.accuracy().map(ModelsCommand::longAccuracy).orElse("not measured"));
        if (v.card().baseModel() != null) {
            row(out, "base", v.card().baseModel().name() + " " + v.card().baseModel().sha256());
        }
        Optional.ofNullable(v.card().notes().get("base_path")).ifPresent(p -> row(out, "base path", p));
        // "sha256:<hex>" is one unbreakable word wider than the value column: print it as "sha256 <hex>"
        row(out, "data", v.card().trainingData() == null ? "unknown"
                : v.card().trainingData().replaceFirst("^sha256:", "sha256 "));
        row(out, "hard ex.", v.hardExamples() + " labelled hard example(s) in the training data");
        List<String> chain = new ArrayList<>();
        d.lineage().forEach(g -> chain.add(g.version()));
        RegisteredVersion oldest = d.lineage().get(d.lineage().size() - 1);
        oldest.parent().filter(p -> !p.registered()).ifPresent(p -> chain.add(p.version() + " (not registered)"));
        if (oldest.parent().isEmpty() && oldest.card().baseModel() != null) {
            chain.add("base " + oldest.card().baseModel().name());
        }
        row(out, "lineage", String.join(" <- ", chain));
        if (d.statusRead()) {
            List<DeviceStatus> on = d.deployments().devices(v);
            row(out, "runs on", on.isEmpty() ? "no device" : devices(on));
        }
        out.println("card:");
        out.println(v.card().toPrettyJson());
    }

    private static void row(PrintWriter out, String key, String value) {
        wrap(out, String.format(Locale.ROOT, "%-10s ", key), value);
    }

    /** Prints {@code first} then {@code text}, broken at spaces to fit {@link #WIDTH}, continued indented. */
    static void wrap(PrintWriter out, String first, String text) {
        String indent = " ".repeat(Math.min(first.length(), 24));
        StringBuilder line = new StringBuilder(first);
        for (String word : text.split(" ")) {
            boolean fresh = line.length() == first.length() || line.toString().isBlank();
            if (!fresh && line.length() + 1 + word.length() > WIDTH) {
                out.println(line.toString().stripTrailing());
                line = new StringBuilder(indent);
                fresh = true;
            }
            while (line.length() + word.length() > WIDTH && WIDTH - line.length() > 0) {
                int room = WIDTH - line.length();
                out.println(line + word.substring(0, room));
                word = word.substring(room);
                line = new StringBuilder(indent);
            }
            line.append(fresh ? "" : " ").append(word);
        }
        out.println(line.toString().stripTrailing());
    }

    private static String devices(List<DeviceStatus> statuses) {
        return String.join(", ", statuses.stream().map(s -> s.device()
                + (s.groups().isEmpty() ? "" : " [" + String.join(" ", s.groups()) + "]")
                + (s.state() == DeviceState.OFFLINE ? " (offline)" : "")).toList());
    }

    private static String parent(RegisteredVersion v) {
        return v.parent().map(p -> p.registered() ? p.version() : p.version() + "?").orElse("-");
    }

    private static String shortAccuracy(Optional<ValidationAccuracy> accuracy) {
        return accuracy.map(a -> a.hasInterval()
                ? String.format(Locale.ROOT, "%.1f (%.0f-%.0f)", 100 * a.accuracy(), 100 * a.low(), 100 * a.high())
                : String.format(Locale.ROOT, "%.1f", 100 * a.accuracy())).orElse("-");
    }

    private static String longAccuracy(ValidationAccuracy a) {
        String value = String.format(Locale.ROOT, "%.1f %% of %d images", 100 * a.accuracy(), a.images());
        return a.hasInterval() ? value + String.format(Locale.ROOT, " (95 %% CI %.1f-%.1f %%)", 100 * a.low(),
                100 * a.high()) : value;
    }

    private static int width(List<String> values, String header, int max) {
        int widest = values.stream().mapToInt(String::length).max().orElse(0);
        return Math.min(max, Math.max(header.length(), widest));
    }

    private static String cut(String text, int width) {
        return text.length() <= width ? text : text.substring(0, width - 1) + "…";
    }

    // ---- JSON

    static Map<String, Object> listingDocument(ModelsListing listing) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("registry", listing.registry().toString());
        List<Map<String, Object>> versions = new ArrayList<>();
        List<Map<String, Object>> broken = new ArrayList<>();
        for (RegistryEntry e : listing.entries()) {
            if (e instanceof RegisteredVersion v) {
                versions.add(versionDocument(v, listing.statusRead() ? Optional.of(listing.deployments())
                        : Optional.empty()));
            } else if (e instanceof BrokenVersion b) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", b.name());
                m.put("version", b.version());
                m.put("folder", b.folder().toString());
                m.put("reason", b.reason());
                broken.add(m);
            }
        }
        doc.put("versions", versions);
        doc.put("broken", broken);
        if (listing.statusRead()) {
            putOtherDevices(doc, listing.deployments());
        }
        return doc;
    }

    static Map<String, Object> detailsDocument(ModelDetails d) {
        Map<String, Object> doc = versionDocument(d.version(), d.statusRead() ? Optional.of(d.deployments())
                : Optional.empty());
        doc.put("lineage", d.lineage().stream().map(v -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("version", v.version());
            m.put("sha256", v.sha256());
            m.put("created", v.card().created().toString());
            return m;
        }).toList());
        doc.put("card", ProtocolJson.parseTree(d.version().card().toJson().getBytes(
                java.nio.charset.StandardCharsets.UTF_8)));
        return doc;
    }

    private static Map<String, Object> versionDocument(RegisteredVersion v, Optional<Deployments> deployments) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", v.name());
        m.put("version", v.version());
        m.put("folder", v.folder().toString());
        m.put("created", v.card().created().toString());
        m.put("sha256", v.sha256());
        m.put("valAccuracy", v.accuracy().map(a -> {
            Map<String, Object> acc = new LinkedHashMap<>();
            acc.put("accuracy", a.accuracy());
            acc.put("images", a.images());
            if (a.hasInterval()) {
                acc.put("low", a.low());
                acc.put("high", a.high());
            }
            return acc;
        }).orElse(null));
        m.put("parent", v.parent().map(p -> Map.of("version", p.version(), "registered", p.registered()))
                .orElse(null));
        m.put("base", v.card().baseModel() == null ? null : Map.of("name", v.card().baseModel().name(),
                "sha256", v.card().baseModel().sha256()));
        m.put("trainingData", v.card().trainingData());
        m.put("hardExamples", v.hardExamples());
        deployments.ifPresent(d -> m.put("devices", d.devices(v).stream().map(DeviceStatus::device).toList()));
        deployments.ifPresent(d -> {
            Map<String, List<String>> groups = new java.util.TreeMap<>();
            d.devices(v).stream().filter(s -> !s.groups().isEmpty()).forEach(s -> groups.put(s.device(), s.groups()));
            if (!groups.isEmpty()) {
                m.put("deviceGroups", groups);
            }
        });
        return m;
    }

    private static void putOtherDevices(Map<String, Object> doc, Deployments deployments) {
        doc.put("notInRegistry", deployments.unknown().stream().map(s -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("device", s.device());
            m.put("name", s.model().name());
            m.put("version", s.model().version());
            m.put("sha256", s.model().sha256());
            return m;
        }).toList());
        doc.put("noActiveModel", deployments.withoutModel().stream().map(DeviceStatus::device).toList());
    }
}
