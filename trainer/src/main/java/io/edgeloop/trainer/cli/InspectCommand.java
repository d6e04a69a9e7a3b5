package io.edgeloop.trainer.cli;

import io.edgeloop.trainer.job.QuietEngine;
import io.edgeloop.trainer.job.TrialStep;
import ai.djl.ndarray.NDManager;
import ai.onnx.proto.OnnxMl;
import io.edgeloop.protocol.model.GraphSignature;
import io.edgeloop.protocol.model.ModelCard;
import io.edgeloop.protocol.model.ModelPackage;
import io.edgeloop.protocol.model.TensorInfo;
import io.edgeloop.protocol.preprocess.PreprocessSpec;
import io.edgeloop.trainer.job.BasePreprocessing;
import io.edgeloop.trainer.job.DeclaredPreprocessing;
import io.edgeloop.trainer.onnx.GraphSummary;
import io.edgeloop.trainer.onnx.HeadPool;
import io.edgeloop.trainer.onnx.HeadSpec;
import io.edgeloop.trainer.onnx.OnnxClassifierNetwork;
import io.edgeloop.trainer.onnx.OnnxGraph;
import io.edgeloop.trainer.onnx.OnnxImportException;
import io.edgeloop.trainer.onnx.OnnxImporter;
import io.edgeloop.trainer.onnx.OnnxNode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code trainer inspect MODEL.onnx}: what a model is and whether {@code fit} can train it — size, opset, graph
 * inputs and outputs, the model card when there is one, and the importer's view (where the old head would be
 * cut, the feature shape, the new head that {@code fit} would attach (pooling + linear layer; {@code --cut-at} and
 * {@code --head-pool} as for {@code fit}), the backbone weight layers that {@code --freeze NODE} and {@code --cut-at}
 * accept).
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Show an ONNX model's graph signature, model card and trainability.")
public final class InspectCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL.onnx", description = "ONNX model or model package.")
    Path model;

    @Mixin
    PreprocessOptions preprocess;

    @Option(names = "--cut-at", paramLabel = "NODE",
            description = "Show the head fit would attach after this node. Default: the old head found automatically.")
    String cutAt;

    @Option(names = "--head-pool", paramLabel = "P",
            description = "Pooling of a spatial feature map, as for fit: avg, max or flatten. Default: avg.")
    HeadPool headPool;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(model)) {
            throw new IllegalArgumentException("model " + model + " does not exist or is not a file");
        }
        QuietEngine.start(); // the trainability check imports the graph into PyTorch
        PrintWriter out = spec.commandLine().getOut();
        OnnxMl.ModelProto proto = OnnxGraph.read(model);
        out.printf(Locale.ROOT, "file: %s (%,d bytes)%n", model, Files.size(model));
        out.printf(Locale.ROOT, "producer: %s %s, IR version %d, opset %s%n", proto.getProducerName(),
                proto.getProducerVersion(), proto.getIrVersion(),
                proto.getOpsetImportList().stream().map(o -> (o.getDomain().isEmpty() ? "ai.onnx" : o.getDomain())
                        + " " + o.getVersion()).toList());
        GraphSignature signature = GraphSignature.of(proto);
        for (TensorInfo t : signature.inputs()) {
            out.printf(Locale.ROOT, "input: %s %s %s%n", t.name(), t.elementType(), t.shapeText());
        }
        for (TensorInfo t : signature.outputs()) {
            out.printf(Locale.ROOT, "output: %s %s %s%n", t.name(), t.elementType(), t.shapeText());
        }
        out.printf(Locale.ROOT, "nodes: %d, initializers: %d%n", proto.getGraph().getNodeCount(),
                proto.getGraph().getInitializerCount());
        GraphSummary summary = GraphSummary.of(proto);
        out.printf(Locale.ROOT, "parameters: %,d float values%n", summary.parameterCount());
        if (summary.precision().hasFloat16()) {
            out.println("precision: " + summary.precision().describe());
        }
        StringBuilder ops = new StringBuilder("ops:");
        summary.opHistogram().forEach((op, n) -> ops.append(' ').append(op).append(" x").append(n));
        out.println(ops);
        if (!summary.unsupportedOps().isEmpty()) {
            out.println("unsupported ops: " + summary.unsupportedOps());
        }
        if (!summary.sharing().none()) {
            out.println("sharing: " + summary.sharing() + " on import (each layer trains its own copy)");
        }
        boolean hasCard = proto.getMetadataPropsList().stream()
                .anyMatch(p -> p.getKey().equals(ModelCard.METADATA_KEY));
        if (hasCard) {
            out.println("model card:");
            out.println(ModelPackage.read(model).card().toPrettyJson());
        } else {
            out.println("model card: none (a plain ONNX model)");
            Optional<DeclaredPreprocessing> declared = preprocess.declared();
            out.println("preprocessing: " + BasePreprocessing.describe(BasePreprocessing.of(side(proto), declared))
                    + (declared.isPresent() ? " (declared)" : " (assumed: torchvision ImageNet)"));
            BasePreprocessing.notice(model, declared).ifPresent(n -> {
                spec.commandLine().getErr().println(n);
                spec.commandLine().getErr().flush();
            });
        }
        HeadSpec headSpec = new HeadSpec(2, cutAt, 0, headPool == null ? HeadPool.AVG : headPool);
        try (NDManager manager = NDManager.newBaseManager("PyTorch");
             OnnxClassifierNetwork network = OnnxImporter.load(proto, headSpec, manager)) {
            String head = "head cut: " + network.headCut().description() + System.lineSeparator() + "new head: "
                    + network.headDescription("one output per class of the data") + ", attached at '"
                    + network.headCut().featureTensor() + "'";
            List<OnnxNode> layers = network.weightLayers();
            String trial = trial(proto, headSpec, manager);
            if (trial != null) {
                out.println("trainable: no (imports, but a trial training step or export fails: " + trial + ")");
                out.println(head);
            } else {
                out.printf(Locale.ROOT, "trainable: yes, input %dx%d (a training step and an export ran)%n",
                        network.imageSize(), network.imageSize());
                out.println(head);
            }
            out.printf(Locale.ROOT, "backbone weight layers (%d, graph order; names for --freeze NODE):%n",
                    layers.size());
            for (OnnxNode n : layers) {
                out.println("  " + n.describe());
            }
        } catch (OnnxImportException e) {
            out.println("trainable: no (" + e.getMessage() + ")");
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** The square input side the graph declares, or the ImageNet crop when it is symbolic or not square. */
    private static int side(OnnxMl.ModelProto proto) {
        try {
            OnnxGraph graph = OnnxGraph.of(proto);
            long[] dims = graph.inputDims();
            long h = dims.length == 4 ? (graph.channelsLast() ? dims[1] : dims[2]) : -1;
            long w = dims.length == 4 ? (graph.channelsLast() ? dims[2] : dims[3]) : -1;
            return h > 0 && h == w && h <= PreprocessSpec.MAX_SIDE ? (int) h : PreprocessSpec.IMAGENET_224.cropSize();
        } catch (OnnxImportException e) {
            return PreprocessSpec.IMAGENET_224.cropSize();
        }
    }

    /** Null when a training step and an export of a fresh import succeed, else what failed. */
    private static String trial(OnnxMl.ModelProto proto, HeadSpec headSpec, NDManager manager) {
        try (NDManager own = manager.newSubManager();
             OnnxClassifierNetwork fresh = OnnxImporter.load(proto, headSpec, own)) {
            TrialStep.run(fresh);
            return null;
        } catch (RuntimeException e) {
            return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
    }
}
