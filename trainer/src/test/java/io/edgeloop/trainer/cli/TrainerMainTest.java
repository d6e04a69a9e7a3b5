package io.edgeloop.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.protocol.model.InputSpec;
import io.edgeloop.protocol.model.ModelCard;
import io.edgeloop.protocol.model.ModelPackage;
import io.edgeloop.protocol.model.OutputSpec;
import io.edgeloop.protocol.preprocess.PreprocessSpec;
import io.edgeloop.trainer.arch.ArchSpec;
import io.edgeloop.trainer.arch.Architecture;
import io.edgeloop.trainer.arch.ArchitectureOnnx;
import io.edgeloop.trainer.testing.TestImages;
import io.edgeloop.trainer.job.TrainerServices;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TrainerMainTest {

    @TempDir
    static Path shared;
    static Path data;
    static Path base;

    static Run run(String... args) {
        return Run.of(args);
    }

    @BeforeAll
    static void fixtures() throws Exception {
        data = shared.resolve("data");
        TestImages.writeDataset(data, new String[] {"a", "b", "c"}, new int[] {12, 12, 12}, 40, 3);
        base = shared.resolve("simplecnn.onnx");
        ArchitectureOnnx.write(ArchitectureOnnx.build(new ArchSpec(Architecture.SIMPLECNN, 0.5, 32, 10, 1)), base);
    }

    @Test
    void aCommandIsRequired() {
        Run r = run();
        assertEquals(2, r.code());
        assertEquals("trainer: a command is required, one of [fit, evaluate, inspect, init, datasets, pretrain,"
                + " experiment, collect, label, keys, deploy, serve-models, demo, base, compare, models, retrain,"
                + " fleet, quantize, help] (see 'trainer --help')\n",
                        r.err());
    }

    @Test
    void helpListsCommandsAndOptions() {
        Run top = run("--help");
        assertEquals(0, top.code());
        for (String command : List.of("fit", "evaluate", "inspect", "init", "datasets", "collect", "label",
                "quantize")) {
            assertTrue(top.out().contains("  " + command + " "), command);
        }
        Run fit = run("fit", "--help");
        assertEquals(0, fit.code());
        for (String option : List.of("--base=MODEL.onnx", "--data=DIR", "--val=DIR", "--out=DIR", "--strategy=S",
                "--epochs=N", "--batch-size=N", "--image-size=N", "--lr=X", "--seed=N", "--device=D", "--resume",
                "--freeze=F|NODE", "--cut-at=NODE", "--no-augment")) {
            assertTrue(fit.out().contains(option), option);
        }
    }

    @Test
    void everyCommandsHelpFitsEightyColumnsAndFormatsCleanly() {
        List<List<String>> paths = new ArrayList<>();
        collect(new CommandLine(new TrainerMain(TrainerServices.defaults())), new ArrayList<>(), paths);
        assertTrue(paths.size() > 25, "commands and subcommands: " + paths);
        PrintStream stderr = System.err;
        ByteArrayOutputStream picocliWarnings = new ByteArrayOutputStream();
        System.setErr(new PrintStream(picocliWarnings, true, StandardCharsets.UTF_8));
        try {
            for (List<String> path : paths) {
                List<String> args = new ArrayList<>(path);
                args.add("--help");
                Run help = run(args.toArray(String[]::new));
                assertEquals(0, help.code(), path + ": " + help.err());
                for (String line : help.out().split("\n")) {
                    assertTrue(line.length() <= 80, path + " --help has a line of " + line.length() + ": " + line);
                }
            }
        } finally {
            System.setErr(stderr);
        }
        // picocli reports a description it cannot format (a lone '%') on System.err and prints it raw
        assertEquals("", picocliWarnings.toString(StandardCharsets.UTF_8));
    }

    private static void collect(CommandLine command, List<String> path, List<List<String>> paths) {
        for (Map.Entry<String, CommandLine> sub : command.getSubcommands().entrySet()) {
            if (sub.getKey().equals("help") || !sub.getKey().equals(sub.getValue().getCommandName())) {
                continue; // picocli's help command, aliases
            }
            List<String> next = new ArrayList<>(path);
            next.add(sub.getKey());
            paths.add(next);
            collect(sub.getValue(), next, paths);
        }
    }

    @Test
    void closedLoopCommandsAreRegisteredAndNameThemselves() {
        Run r = run("label", "set");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("trainer label set: Missing required"), r.err());
    }

    @Test
    void badUsageIsOneLineWithExitCode2() {
        Run missing = run("fit", "--data", data.toString());
        assertEquals(2, missing.code());
        assertEquals("trainer fit: Missing required options: '--base=MODEL.onnx', '--out=DIR' (see 'trainer fit"
                + " --help')\n", missing.err());

        Run strategy = run("fit", "--base", base.toString(), "--data", data.toString(), "--out", "x",
                "--strategy", "most");
        assertEquals(2, strategy.code());
        assertEquals("trainer fit: Invalid value for option '--strategy': expected one of [HEAD, PARTIAL, FULL, AUTO,"
                + " SCRATCH] (case-insensitive) but was 'most' (see 'trainer fit --help')\n", strategy.err());

        Run freeze = run("fit", "--base", base.toString(), "--data", data.toString(), "--out", "x",
                "--freeze", "1.5");
        assertEquals(2, freeze.code());
        assertEquals("trainer fit: Invalid value for option '--freeze': --freeze is 1.5, allowed a fraction 0..1 or"
                + " a node name (see 'trainer fit --help')\n", freeze.err());
    }

    @Test
    void badInputIsOneLineWithExitCode2(@TempDir Path out) throws Exception {
        Run epochs = run("fit", "--base", base.toString(), "--data", data.toString(), "--out", out.toString(),
                "--epochs", "0");
        assertEquals(2, epochs.code());
        assertEquals("trainer fit: --epochs is 0, allowed 1..100000\n", epochs.err());

        Path nowhere = out.resolve("nowhere");
        Run noData = run("fit", "--base", base.toString(), "--data", nowhere.toString(), "--out", out.toString());
        assertEquals(2, noData.code());
        assertEquals("trainer fit: --data " + nowhere + " does not exist\n", noData.err());

        Path oneClass = Files.createDirectories(out.resolve("one"));
        TestImages.writeDataset(oneClass, new String[] {"solo"}, new int[] {2}, 8, 1);
        Run single = run("fit", "--base", base.toString(), "--data", oneClass.toString(), "--out",
                out.resolve("run-one").toString());
        assertEquals(2, single.code());
        assertEquals("trainer fit: data folder " + oneClass + " has 1 class folder(s) [solo], need at least 2"
                + " (layout: DIR/<label>/*.jpg|jpeg|png|bmp)\n", single.err());

        Run size = run("fit", "--base", base.toString(), "--data", data.toString(), "--out",
                out.resolve("run-size").toString(), "--image-size", "64");
        assertEquals(2, size.code());
        assertEquals("trainer fit: --image-size is 64 but " + base + " takes 32x32 images\n", size.err());
    }

    @Test
    void fitWritesReportMetricsCheckpointAndAModelThatEvaluateAgreesWith(@TempDir Path out) throws Exception {
        Path val = out.resolve("val");
        TestImages.writeDataset(val, new String[] {"a", "b", "c"}, new int[] {4, 4, 4}, 40, 77);
        Path run = out.resolve("run");
        Files.write(data.resolve("a/broken.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        String[] fitArgs = {"fit", "--base", base.toString(), "--data", data.toString(), "--val", val.toString(),
            "--out", run.toString(), "--strategy", "head", "--epochs", "3", "--batch-size", "8", "--no-augment",
            "--lr", "0.01", "--threads", "2", "--seed", "5", "--name", "shapes", "--model-version", "1"};
        try {
            Run fit = run(fitArgs);
            assertEquals(0, fit.code(), fit.err());
            assertTrue(fit.out().startsWith("strategy: requested head (median 12 training images per class)\n"),
                    fit.out());
            assertTrue(fit.out().contains("skipped 1 unreadable image(s), listed in the report\n"), fit.out());
            assertTrue(fit.out().endsWith("model: " + run.resolve("model.onnx") + " (shapes 1)\n"), fit.out());
            for (String name : List.of("report.html", "metrics.json", "metrics.jsonl", "checkpoint.bin",
                    "model.onnx")) {
                assertTrue(Files.size(run.resolve(name)) > 0, name);
            }
            JsonNode metrics = new ObjectMapper().readTree(run.resolve("metrics.json").toFile());
            assertEquals(3, metrics.get("history").size());
            assertEquals("head", metrics.get("strategy").get("chosen").asText());
            assertEquals(List.of("a", "b", "c"), new ObjectMapper().convertValue(metrics.get("labels"), List.class));
            assertEquals(data.resolve("a/broken.png").toString(), metrics.get("skipped").get(0).get("file").asText());
            assertTrue(metrics.get("featureCache").asBoolean());
            assertEquals(run.resolve("model.onnx").toString(), metrics.get("model").asText());
            // drift telemetry's reference: training images per class, validation confidence in the devices' bins
            JsonNode distribution = metrics.get("trainingDistribution");
            long trained = 0;
            for (String label : List.of("a", "b", "c")) {
                trained += distribution.get("trainClassCounts").get(label).asLong();
            }
            assertEquals(metrics.get("trainImages").asLong(), trained);
            JsonNode confidence = distribution.get("validationConfidence");
            assertEquals(10, confidence.get("bins").size());
            assertEquals(metrics.get("validationImages").asLong(), confidence.get("images").asLong());
            String html = Files.readString(run.resolve("report.html"));
            for (String id : List.of("strategy", "curves", "confusion", "per-class", "mistakes", "skipped",
                    "timings", "settings")) {
                assertTrue(html.contains("id=\"" + id + "\""), id);
            }
            assertTrue(html.contains("broken.png"));

            ModelCard card = ModelPackage.read(run.resolve("model.onnx")).card();
            assertEquals("shapes", card.name());
            assertEquals(List.of("a", "b", "c"), card.labels());
            assertEquals(PreprocessSpec.IMAGENET_224.withCropSize(32), card.preprocessing());
            assertEquals("sha256:" + metrics.get("datasetFingerprint").asText().substring(7), card.trainingData());
            assertEquals(metrics.get("final").get("accuracy").asDouble(), card.metrics().get("val_accuracy"));

            // the device's engine on the exported package agrees with the trainer's own validation
            Run evaluate = run("evaluate", "--model", run.resolve("model.onnx").toString(), "--data", val.toString(),
                    "--json");
            assertEquals(0, evaluate.code(), evaluate.err());
            JsonNode ort = new ObjectMapper().readTree(evaluate.out());
            assertEquals(metrics.get("final").get("accuracy").asDouble(), ort.get("accuracy").asDouble(), 1e-12);
            assertEquals(metrics.get("final").get("loss").asDouble(), ort.get("loss").asDouble(), 1e-4);
            assertEquals(metrics.get("confusionMatrix"), ort.get("confusionMatrix"));

            Run again = run(fitArgs);
            assertEquals(2, again.code());
            assertEquals("trainer fit: --out " + run + " already holds a run (checkpoint.bin); use --resume to"
                    + " continue it or choose a new or empty folder\n", again.err());

            String[] resumeArgs = java.util.Arrays.copyOf(fitArgs, fitArgs.length + 1);
            resumeArgs[fitArgs.length] = "--resume";
            resumeArgs[java.util.Arrays.asList(fitArgs).indexOf("--epochs") + 1] = "4";
            Run resumed = run(resumeArgs);
            assertEquals(0, resumed.code(), resumed.err());
            assertEquals(4, Files.readAllLines(run.resolve("metrics.jsonl")).size());
        } finally {
            Files.delete(data.resolve("a/broken.png"));
        }
    }

    @Test
    void evaluateRunsAModelPackageWithOnnxRuntime(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("model.onnx");
        ModelCard card = ModelCard.builder().setName("simplecnn").setVersion("1").setCreated(Instant.EPOCH)
                .setLabels(List.of("a", "b", "c", "d")).setInput(InputSpec.square("input", 32))
                .setPreprocessing(PreprocessSpec.imagenet(36, 32)).setOutput(OutputSpec.logits("logits")).build();
        ModelPackage.write(ArchitectureOnnx.build(new ArchSpec(Architecture.SIMPLECNN, 0.5, 32, 4, 1)), card, model);
        Run json = run("evaluate", "--model", model.toString(), "--data", data.toString(), "--json", "--threads", "2");
        assertEquals(0, json.code(), json.err());
        JsonNode doc = new ObjectMapper().readTree(json.out());
        assertEquals(36, doc.get("images").asInt());
        int total = 0;
        int correct = 0;
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                total += doc.get("confusionMatrix").get(i).get(j).asInt();
                correct += i == j ? doc.get("confusionMatrix").get(i).get(j).asInt() : 0;
            }
        }
        assertEquals(36, total);
        assertEquals(correct / 36.0, doc.get("accuracy").asDouble(), 1e-12);
        assertEquals(0, doc.get("perClass").get(3).get("support").asInt());

        Run text = run("evaluate", "--model", model.toString(), "--data", data.toString(), "--threads", "2");
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().startsWith(String.format(java.util.Locale.ROOT, "accuracy %.4f (36 images)",
                doc.get("accuracy").asDouble())), text.out());

        Run plain = run("evaluate", "--model", base.toString(), "--data", data.toString());
        assertEquals(2, plain.code());
        assertEquals("trainer evaluate: --model " + base + " has no model card (a plain ONNX model); name its"
                + " classes with --labels FILE (one per line, in output order) and, if it was not trained with"
                + " torchvision's ImageNet preprocessing, declare it with"
                + " --pixel-scale/--mean/--std/--channel-order/--resize/--crop\n", plain.err());

        Path other = dir.resolve("other");
        TestImages.writeDataset(other, new String[] {"a", "zebra"}, new int[] {1, 1}, 8, 1);
        Run unknown = run("evaluate", "--model", model.toString(), "--data", other.toString());
        assertEquals(2, unknown.code());
        assertEquals("trainer evaluate: data folder " + other + " has class folder 'zebra' that is not one of the"
                + " model's labels [a, b, c, d]\n", unknown.err());
    }

    @Test
    void inspectShowsSignatureAndTrainability() {
        Run r = run("inspect", base.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("input: input "), r.out());
        assertTrue(r.out().contains("model card: none"), r.out());
        assertTrue(r.out().contains("trainable: yes, input 32x32"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("parameters: [0-9,]+ float values")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("ops: ") && l.contains("Conv x")
                && l.contains("Gemm x1")), r.out());
    }

    /** A graph that imports but cannot be exported (a backbone tensor named like the new head's output). */
    @Test
    void inspectRunsATrialStepAndExportBeforeCallingAModelTrainable(@TempDir Path dir) throws Exception {
        ai.onnx.proto.OnnxMl.ModelProto proto = ArchitectureOnnx.build(new ArchSpec(Architecture.SIMPLECNN, 0.25, 32,
                3, 1));
        ai.onnx.proto.OnnxMl.GraphProto.Builder g = proto.getGraph().toBuilder();
        String features = g.getNodeList().stream().filter(n -> n.getOpType().equals("Flatten")).findFirst()
                .orElseThrow().getOutput(0);
        for (ai.onnx.proto.OnnxMl.NodeProto.Builder n : g.getNodeBuilderList()) {
            boolean head = n.getOpType().equals("Gemm");
            for (int i = 0; i < n.getInputCount(); i++) {
                n.setInput(i, n.getInput(i).equals(features) ? "logits" : n.getInput(i));
            }
            for (int i = 0; i < n.getOutputCount(); i++) {
                n.setOutput(i, head ? "scores" : n.getOutput(i).equals(features) ? "logits" : n.getOutput(i));
            }
        }
        g.setOutput(0, g.getOutput(0).toBuilder().setName("scores"));
        Path file = dir.resolve("clash.onnx");
        ArchitectureOnnx.write(proto.toBuilder().setGraph(g).build(), file);
        Run r = run("inspect", file.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("trainable: no (imports, but a trial training step or export fails: cannot"
                + " export: the backbone already has a tensor named 'logits'"), r.out());
    }

    /**
     * A torch export with de-duplicated initializers (BN statistics behind Identity nodes, one weight shared by two
     * convs): inspect says what the import unties, and fit FULL trains and exports it (it used to stop with "state
     * input 3 (…running_mean) is not a float initializer").
     */
    @Test
    void sharedInitializersAreUntiedForInspectAndFit(@TempDir Path out) throws Exception {
        Path twin = Path.of("src", "test", "resources", "onnx", "arch", "alias_twin_conv_op13_dyn_bn.onnx");
        Run inspect = run("inspect", twin.toString());
        assertEquals(0, inspect.code(), inspect.err());
        assertTrue(inspect.out().contains("sharing: 8 Identity aliases of initializers resolved, 4 shared initializers"
                + " untied into 12 parameters on import (each layer trains its own copy)\n"), inspect.out());
        Path run = out.resolve("run");
        Run fit = run("fit", "--base", twin.toString(), "--data", data.toString(), "--out", run.toString(),
                "--strategy", "full", "--epochs", "1", "--batch-size", "8", "--no-augment", "--threads", "2",
                "--seed", "5");
        assertEquals(0, fit.code(), fit.err());
        assertTrue(Files.size(run.resolve("model.onnx")) > 0);
    }

    /** A Caffe2-era float16 file: inspect says it trains in float32 and lists the unnamed nodes by their outputs. */
    @Test
    void inspectShowsFloat16WeightsAndNamesForUnnamedNodes() {
        Run r = run("inspect", "src/test/resources/onnx/legacy/caffe2_fp16_op8.onnx");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("input: data_0 FLOAT16 [1, 3, 32, 32]"), r.out());
        assertTrue(r.out().contains("\nprecision: float16 weights (trained in float32): 14 initializers, 1,658"
                + " values;"), r.out());
        assertTrue(r.out().contains("trainable: yes, input 32x32"), r.out());
        assertTrue(r.out().contains("head cut: head Gemm node 'fc_1', features 'pool5_drop_1'"), r.out());
        assertTrue(r.out().contains("\n  Conv node 'conv1_1'\n  Conv node 'conv2_1'\n"), r.out());
    }

    /**
     * fit on the float16 Caffe2-era file, cut and frozen by the names inspect shows for its unnamed nodes: the
     * package is float32 (what the agent runs) and its card says the base was float16.
     */
    @Test
    void fitOnAFloat16BaseWritesAFloat32PackageAndSaysSo(@TempDir Path out) throws Exception {
        Path run = out.resolve("run");
        Run fit = run("fit", "--base", "src/test/resources/onnx/legacy/caffe2_fp16_op8.onnx", "--data",
                data.toString(), "--out", run.toString(), "--strategy", "partial", "--freeze", "conv2_1", "--cut-at",
                "pool5_1", "--epochs", "1", "--batch-size", "8", "--no-augment", "--threads", "1", "--seed", "5");
        assertEquals(0, fit.code(), fit.err());
        ModelPackage model = ModelPackage.read(run.resolve("model.onnx"));
        String note = model.card().notes().get("precision");
        assertTrue(note != null && note.matches("base weights were float16; exported float32, [0-9]+ KB \\(trained in"
                + " float32; the edge agent takes float32 inputs and outputs\\)"), String.valueOf(note));
        assertEquals("FLOAT", io.edgeloop.protocol.model.GraphSignature.of(ai.onnx.proto.OnnxMl.ModelProto.parseFrom(
                Files.readAllBytes(run.resolve("model.onnx")))).input("data_0").orElseThrow().elementType());
    }
}
