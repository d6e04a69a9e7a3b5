package io.edgeloop.trainer.job;

import ai.onnx.proto.OnnxMl;
import io.edgeloop.protocol.model.ModelCard;
import io.edgeloop.protocol.model.ModelPackage;
import io.edgeloop.protocol.model.ModelPackageException;
import io.edgeloop.protocol.model.OutputKind;
import io.edgeloop.protocol.preprocess.PreprocessSpec;
import io.edgeloop.trainer.onnx.LegacyAttributes;
import io.edgeloop.trainer.onnx.OnnxGraph;
import io.edgeloop.trainer.onnx.OnnxNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What an evaluation needs to know about a model: from its card for a model package, or, for a plain ONNX
 * classifier, from the graph plus the labels file and the preprocessing the user declared (torchvision's ImageNet
 * transform when none was).
 *
 * @param card          the model card; empty for a plain ONNX file
 * @param labels        class names in output order
 * @param preprocessing how images become the input tensor
 * @param inputName     graph input that takes the images
 * @param channelsLast  true when that input is N×H×W×C
 * @param fixedBatch    the graph's fixed batch size, or -1 when it is dynamic
 * @param outputName    graph output with one score per label (any trailing 1-sized dims are ignored)
 * @param probabilities true when the output already holds probabilities (else logits, softmax over temperature)
 * @param temperature   softmax temperature for logits
 * @param float16Input  true when the input takes float16 (older exports): images are converted before each run
 * @param sessionModel  the graph ONNX Runtime runs: for a plain file, with leftover attributes of older opsets
 *                      removed as the importer does (ORT refuses to load them); empty: the file as it is
 */
record EvaluatedModel(Optional<ModelCard> card, List<String> labels, PreprocessSpec preprocessing, String inputName,
                      boolean channelsLast, long fixedBatch, String outputName, boolean probabilities,
                      double temperature, boolean float16Input, Optional<byte[]> sessionModel) {

    /** Reads the model and checks the request's declarations against what it is. */
    static EvaluatedModel of(EvaluateRequest request) throws IOException, ModelPackageException {
        if (BasePreprocessing.hasCard(request.model())) {
            return fromCard(request);
        }
        return fromPlainGraph(request);
    }

    private static EvaluatedModel fromCard(EvaluateRequest request) throws ModelPackageException {
        if (request.preprocessing().isPresent()) {
            throw new IllegalArgumentException("--model " + request.model() + " is a model package whose card fixes"
                    + " its preprocessing; " + BasePreprocessing.OPTIONS + " are for plain ONNX models only, drop"
                    + " them");
        }
        if (request.labels().isPresent()) {
            throw new IllegalArgumentException("--model " + request.model() + " is a model package whose card names"
                    + " its labels; --labels is for plain ONNX models only, drop it");
        }
        ModelCard card = ModelPackage.read(request.model()).card();
        return new EvaluatedModel(Optional.of(card), card.labels(), card.preprocessing(), card.input().name(),
                false, card.input().shape().get(0), card.output().name(),
                card.output().kind() == OutputKind.PROBABILITIES, card.temperature(), false, Optional.empty());
    }

    private static EvaluatedModel fromPlainGraph(EvaluateRequest request) throws IOException {
        Path labelsFile = request.labels().orElseThrow(() -> new IllegalArgumentException("--model "
                + request.model() + " has no model card (a plain ONNX model); name its classes with --labels FILE"
                + " (one per line, in output order) and, if it was not trained with torchvision's ImageNet"
                + " preprocessing, declare it with " + BasePreprocessing.OPTIONS));
        OnnxMl.ModelProto file = OnnxGraph.read(request.model());
        OnnxGraph graph = OnnxGraph.of(file);
        int elementType = file.getGraph().getInputList().stream().filter(v -> v.getName().equals(graph.inputName()))
                .findFirst().orElseThrow().getType().getTensorType().getElemType();
        boolean float16 = elementType == OnnxMl.TensorProto.DataType.FLOAT16_VALUE;
        if (!float16) {
            graph.requireImageInput();
        }
        long[] dims = graph.inputDims();
        boolean nhwc = graph.channelsLast();
        long height = nhwc ? dims[1] : dims[2];
        long width = nhwc ? dims[2] : dims[3];
        if (height < 1 || height != width) {
            throw new IllegalArgumentException("--model " + request.model() + ": graph input '" + graph.inputName()
                    + "' is " + describe(dims) + "; evaluate needs a fixed square image side");
        }
        int side = Math.toIntExact(height);
        PreprocessSpec spec = BasePreprocessing.of(side, request.preprocessing());
        List<String> labels = readLabels(labelsFile);
        String output = graph.outputNames().get(0);
        long scores = scoresPerImage(graph.model().getGraph().getOutput(0));
        if (scores > 0 && scores != labels.size()) {
            throw new IllegalArgumentException("--labels " + labelsFile + " names " + labels.size() + " classes but"
                    + " output '" + output + "' has " + scores + " scores per image; allowed exactly " + scores
                    + " names, one per line in output order");
        }
        OnnxNode producer = graph.producer(output);
        boolean probabilities = producer != null && producer.opType().equals("Softmax");
        byte[] cleaned = LegacyAttributes.clean(file, graph.opset()).toByteArray();
        return new EvaluatedModel(Optional.empty(), labels, spec, graph.inputName(), nhwc, dims[0], output,
                probabilities, 1.0, float16, Optional.of(cleaned));
    }

    /** One class name per non-blank line, trimmed; names must be unique. */
    static List<String> readLabels(Path file) throws IOException {
        List<String> labels = Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::strip)
                .filter(s -> !s.isEmpty()).toList();
        if (labels.size() < 2) {
            throw new IllegalArgumentException("--labels " + file + " has " + labels.size() + " class names,"
                    + " allowed at least 2 (one per line, in the model's output order)");
        }
        Set<String> seen = new HashSet<>();
        for (String label : labels) {
            if (!seen.add(label)) {
                throw new IllegalArgumentException("--labels " + file + " names '" + label + "' twice, allowed"
                        + " unique class names");
            }
        }
        return labels;
    }

    /** Product of the declared non-batch dims of an output, or -1 when one of them is symbolic. */
    private static long scoresPerImage(OnnxMl.ValueInfoProto output) {
        List<OnnxMl.TensorShapeProto.Dimension> dims = output.getType().getTensorType().getShape().getDimList();
        long product = 1;
        for (int i = 1; i < dims.size(); i++) {
            if (!dims.get(i).hasDimValue() || dims.get(i).getDimValue() < 1) {
                return -1;
            }
            product *= dims.get(i).getDimValue();
        }
        return dims.isEmpty() ? -1 : product;
    }

    private static String describe(long[] dims) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < dims.length; i++) {
            b.append(i == 0 ? "" : ", ").append(dims[i] < 0 ? "?" : Long.toString(dims[i]));
        }
        return b.append(']').toString();
    }

    /** The input tensor's shape for a batch of n images. */
    long[] inputShape(int n) {
        int side = preprocessing.cropSize();
        return channelsLast ? new long[] {n, side, side, 3} : new long[] {n, 3, side, side};
    }

}
