package io.edgeloop.trainer.job;

import ai.onnxruntime.OrtException;
import io.edgeloop.protocol.model.ModelPackage;
import io.edgeloop.protocol.model.ModelPackageException;
import io.edgeloop.protocol.mqtt.DeviceStatus;
import io.edgeloop.protocol.mqtt.ModelRef;
import io.edgeloop.trainer.collect.Inbox;
import io.edgeloop.trainer.collect.InboxEntry;
import io.edgeloop.trainer.gate.GateSet;
import io.edgeloop.trainer.registry.HardExamples;
import io.edgeloop.trainer.registry.ModelRegistry;
import io.edgeloop.trainer.registry.RegisteredVersion;
import io.edgeloop.trainer.registry.RegistryEntry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;

/**
 * The quality gate of {@code trainer deploy --gate} and {@code trainer retrain}: judges a candidate against the
 * version the target devices run, on a held-out folder plus the labelled hard examples neither was trained on, with
 * {@link CompareJob}'s paired figures and the request's {@link io.edgeloop.trainer.gate.GateRule}.
 *
 * <pre>{@code
 * GateResult gate = new GateJob().run(new GateRequest(candidate, heldOut, Optional.of(inbox), registry,
 *         Optional.empty(), DeployTarget.device("gate-01"), Optional.of(status), GateRule.DEFAULT, 2));
 * if (!gate.passed()) { ... each gate.judged() says why, with the figures ... }
 * }</pre>
 *
 * <p>Which version runs where comes from the devices' retained status, matched to the registry by the SHA-256 the
 * devices report. A device that reports a model the registry does not hold, or a target with no status at all, is a
 * {@link JobFailure} saying how to go on ({@code --baseline}, {@code trainer models add}, or {@code --force}): the gate
 * never passes a candidate because it could not find what to compare it with. A device that runs no model yet, or
 * already runs the candidate, has nothing to beat and is named in the notes.
 *
 * <p>What a model was trained on is its registered version's {@value HardExamples#FILE_NAME}; when the candidate is
 * not in the registry that is unknown, so the inbox is left out (and the notes say so) rather than let the candidate
 * be judged on its own training frames.
 */
public final class GateJob {

    /** One model to beat and the target devices that run it. */
    private record Baseline(String name, Path model, Optional<RegisteredVersion> version, List<String> devices) {
    }

    /** Runs the gate. */
    public GateResult run(GateRequest request) throws IOException, InterruptedException, OrtException,
            ModelPackageException {
        ModelPackage candidate = DeployJob.readModel(request.candidate());
        ModelRegistry registry = new ModelRegistry(request.registry());
        List<RegistryEntry> entries = registry.entries();
        Optional<RegisteredVersion> registered = bySha(entries, candidate.sha256());
        String candidateName = registered.map(v -> v.name() + " " + v.version())
                .orElse(request.candidate().toString());
        List<String> notes = new ArrayList<>();
        List<Baseline> baselines = request.baseline().isPresent()
                ? List.of(explicit(request.baseline().get(), entries))
                : running(request, entries, candidate.sha256(), notes);
        if (baselines.isEmpty()) {
            return new GateResult(request.candidate(), candidateName, List.of(), 0, 0, 0, 0, notes);
        }
        List<InboxEntry> examples = List.of();
        if (request.inbox().isPresent()) {
            if (registered.isPresent()) {
                examples = Inbox.openExisting(request.inbox().get()).list();
            } else {
                notes.add("the inbox's hard examples are left out: the candidate is not in the registry "
                        + request.registry() + ", so which of them it was trained on is unknown (register it with"
                        + " 'trainer fit --register' or 'trainer models add')");
            }
        }
        GateSet.TrainedOn trainedOn = trainedOn(registered, baselines);
        List<GateResult.Judged> judged = new ArrayList<>();
        try (GateSet set = GateSet.build(request.data(), examples, trainedOn, candidate.card().labels(),
                Path.of(System.getProperty("java.io.tmpdir")))) {
            for (Baseline b : baselines) {
                CompareResult compared = new CompareJob().run(new CompareRequest(b.model(), request.candidate(),
                        set.folder(), request.threads(), OptionalInt.empty(), request.rule().alpha()));
                judged.add(new GateResult.Judged(b.name(), b.model(), b.devices(), compared.comparison(),
                        request.rule().refusal(compared.comparison())));
            }
            return new GateResult(request.candidate(), candidateName, judged, set.dataImages(), set.hardExamples(),
                    set.trainedOn(), set.otherClass(), notes);
        }
    }

    private static Baseline explicit(Path file, List<RegistryEntry> entries) throws ModelPackageException {
        ModelPackage model;
        try {
            model = ModelPackage.read(file);
        } catch (ModelPackageException e) {
            throw new IllegalArgumentException("--baseline " + file + " is not a model package (" + e.getMessage()
                    + "), allowed a model package such as a registered version's model.onnx", e);
        }
        Optional<RegisteredVersion> version = bySha(entries, model.sha256());
        String name = version.map(v -> v.name() + " " + v.version()).orElse(file.toString());
        return new Baseline(name, file, version, List.of());
    }

    /** The registered versions the target devices run, grouped; fails when one cannot be found. */
    private static List<Baseline> running(GateRequest request, List<RegistryEntry> entries, String candidateSha,
                                          List<String> notes) throws InterruptedException {
        StatusSource source = request.status().orElseThrow();
        Map<String, DeviceStatus> statuses = source.read();
        List<DeviceStatus> targets = new ArrayList<>();
        if (request.target().isFleet()) {
            statuses.values().stream().filter(s -> request.group().isEmpty()
                    || s.groups().contains(request.group().get())).forEach(targets::add);
        } else if (statuses.containsKey(request.target().device())) {
            targets.add(statuses.get(request.target().device()));
        }
        if (targets.isEmpty()) {
            throw new JobFailure("the gate cannot tell what " + request.target() + " runs: no retained status from "
                    + (request.target().isFleet() ? request.group().map(g -> "any device of group " + g)
                    .orElse("any device") : "device " + request.target().device()) + " on "
                    + source.broker() + " within " + source.waitFor().toSeconds() + " s; name the model to beat with"
                    + " --baseline MODEL, or deploy without the gate (--force)");
        }
        Map<String, List<String>> devicesBySha = new TreeMap<>();
        Map<String, ModelRef> refBySha = new LinkedHashMap<>();
        for (DeviceStatus s : targets) {
            if (s.model() == null || s.model().sha256() == null) {
                notes.add(s.device() + " runs no model yet: nothing to beat there");
            } else if (s.model().sha256().equals(candidateSha)) {
                notes.add(s.device() + " already runs this candidate");
            } else {
                devicesBySha.computeIfAbsent(s.model().sha256(), k -> new ArrayList<>()).add(s.device());
                refBySha.putIfAbsent(s.model().sha256(), s.model());
            }
        }
        List<Baseline> baselines = new ArrayList<>();
        for (var running : devicesBySha.entrySet()) {
            Optional<RegisteredVersion> version = bySha(entries, running.getKey());
            if (version.isEmpty()) {
                ModelRef ref = refBySha.get(running.getKey());
                throw new JobFailure(String.join(", ", running.getValue()) + " run(s) " + ref.name() + " "
                        + ref.version() + " (sha256 " + ref.sha256().substring(0, 12) + "…), which is not in the"
                        + " registry " + request.registry() + "; register it with 'trainer models add', name it with"
                        + " --baseline MODEL, or deploy without the gate (--force)");
            }
            RegisteredVersion v = version.get();
            baselines.add(new Baseline(v.name() + " " + v.version(), v.folder().resolve(ModelRegistry.MODEL),
                    version, running.getValue()));
        }
        return baselines;
    }

    private static GateSet.TrainedOn trainedOn(Optional<RegisteredVersion> candidate, List<Baseline> baselines)
            throws IOException {
        Set<String> ids = new HashSet<>();
        Set<String> sha = new HashSet<>();
        List<RegisteredVersion> versions = new ArrayList<>();
        candidate.ifPresent(versions::add);
        baselines.forEach(b -> b.version().ifPresent(versions::add));
        for (RegisteredVersion v : versions) {
            for (HardExamples.Example e : HardExamples.read(v.folder())) {
                ids.add(e.id());
                sha.add(e.sha256());
            }
        }
        return new GateSet.TrainedOn(ids, sha);
    }

    private static Optional<RegisteredVersion> bySha(List<RegistryEntry> entries, String sha256) {
        return entries.stream().filter(e -> e instanceof RegisteredVersion v && v.sha256().equals(sha256))
                .map(e -> (RegisteredVersion) e).findFirst();
    }
}
