package io.edgeloop.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeloop.protocol.model.ModelPackage;
import io.edgeloop.protocol.preprocess.ColourOrder;
import io.edgeloop.protocol.preprocess.PreprocessSpec;
import io.edgeloop.trainer.arch.ArchSpec;
import io.edgeloop.trainer.arch.Architecture;
import io.edgeloop.trainer.arch.ArchitectureOnnx;
import io.edgeloop.trainer.testing.TestImages;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue #10: preprocessing declared for a card-less base, through the real CLI. */
class DeclaredPreprocessingTest {

    @TempDir
    static Path shared;
    static Path data;
    static Path base;

    @BeforeAll
    static void fixtures() throws Exception {
        data = shared.resolve("items");
        TestImages.writeDataset(data, new String[] {"a", "b"}, new int[] {4, 4}, 32, 3);
        base = shared.resolve("plain.onnx");
        ArchitectureOnnx.write(ArchitectureOnnx.build(new ArchSpec(Architecture.SIMPLECNN, 0.5, 32, 10, 1)), base);
    }

    @Test
    void declaredCaffeStylePreprocessingGoesIntoTheCard(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("run");
        Run fit = Run.of("fit", "--base", base.toString(), "--data", data.toString(), "--out", out.toString(),
                "--epochs", "1", "--strategy", "head", "--no-augment", "--threads", "1",
                "--channel-order", "bgr", "--pixel-scale", "1", "--mean", "104,117,123", "--std", "1,1,1");
        assertEquals(0, fit.code(), fit.err());
        assertTrue(!fit.err().contains("notice:"), fit.err());
        PreprocessSpec card = ModelPackage.read(out.resolve("model.onnx")).card().preprocessing();
        assertEquals(ColourOrder.BGR, card.colourOrder());
        assertEquals(1.0, card.valueScale());
        assertEquals(List.of(104.0, 117.0, 123.0), card.mean());
        assertEquals(List.of(1.0, 1.0, 1.0), card.std());
        assertEquals(32, card.cropSize());
        Run again = Run.of("fit", "--base", out.resolve("model.onnx").toString(), "--data", data.toString(),
                "--out", dir.resolve("again").toString(), "--mean", "1,2,3");
        assertEquals(2, again.code());
        assertEquals("trainer fit: --base " + out.resolve("model.onnx") + " is a model package whose card fixes"
                + " its preprocessing; --pixel-scale/--mean/--std/--channel-order/--resize/--crop are for plain"
                + " ONNX bases only, drop them\n", again.err());
    }

    @Test
    void aPlainBaseWithoutDeclarationGetsANotice() {
        Run r = Run.of("inspect", base.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("notice: " + base + " has no model card; assuming torchvision ImageNet preprocessing (RGB,"
                + " 0-1 scale, mean [0.485, 0.456, 0.406], std [0.229, 0.224, 0.225], resize 256 crop 224)\n"
                + "notice: set --pixel-scale/--mean/--std/--channel-order/--resize/--crop if it was trained"
                + " otherwise\n", r.err());
        assertTrue(r.out().contains("preprocessing: RGB, 0-1 scale"), r.out());
    }

    @Test
    void badValuesNameTheOptionTheValueAndWhatIsAllowed(@TempDir Path dir) {
        Run scale = Run.of("inspect", base.toString(), "--pixel-scale", "1/0x");
        assertEquals(2, scale.code());
        assertEquals("trainer inspect: --pixel-scale is 1/0x, allowed a number > 0 such as 1/255, 0.00392 or 1\n",
                scale.err());
        Run std = Run.of("inspect", base.toString(), "--std", "1,0,1");
        assertEquals(2, std.code());
        assertEquals("trainer inspect: --std is 1,0,1, allowed 3 numbers > 0, one per channel\n", std.err());
        Run order = Run.of("inspect", base.toString(), "--channel-order", "rbg");
        assertEquals(2, order.code());
        assertEquals("trainer inspect: --channel-order is rbg, allowed one of [rgb, bgr]\n", order.err());
    }

    @Test
    void resizeWithoutCropKeepsTheModelsSideAndFractionsParse(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("run");
        Run fit = Run.of("fit", "--base", base.toString(), "--data", data.toString(), "--out", out.toString(),
                "--epochs", "1", "--strategy", "head", "--no-augment", "--threads", "1", "--resize", "40",
                "--pixel-scale", "2/510");
        assertEquals(0, fit.code(), fit.err());
        PreprocessSpec card = ModelPackage.read(out.resolve("model.onnx")).card().preprocessing();
        assertEquals(40, card.resizeSize());
        assertEquals(32, card.cropSize());
        assertEquals(1.0 / 255.0, card.valueScale(), 1e-15);
        assertEquals(0.5, PreprocessOptions.scale(" 1 / 2 "));
        assertEquals(0.00392, PreprocessOptions.scale("0.00392"));
        Run small = Run.of("inspect", base.toString(), "--resize", "20", "--crop", "32");
        assertEquals(2, small.code());
        assertEquals("trainer inspect: --resize is 20, allowed 32.." + PreprocessSpec.MAX_SIDE + "\n", small.err());
        Run belowSide = Run.of("fit", "--base", base.toString(), "--data", data.toString(), "--out",
                dir.resolve("small").toString(), "--resize", "20");
        assertEquals(2, belowSide.code());
        assertEquals("trainer fit: --resize is 20, allowed 32 (the model's input side) to " + PreprocessSpec.MAX_SIDE
                + "\n", belowSide.err());
        Run shown = Run.of("inspect", base.toString(), "--resize", "40");
        assertTrue(shown.out().contains("resize 40 crop 32 (declared)"), shown.out());
    }

    /** evaluate runs a plain ONNX file with --labels and declared preprocessing exactly as the same package. */
    @Test
    void evaluateTakesAPlainModelWithLabelsAndDeclaredPreprocessing(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("run");
        String[] caffe = {"--channel-order", "bgr", "--pixel-scale", "1", "--mean", "104,117,123", "--std",
            "58,57,57"};
        Run fit = Run.of(concat(new String[] {"fit", "--base", base.toString(), "--data", data.toString(), "--out",
            out.toString(), "--epochs", "2", "--strategy", "full", "--no-augment", "--threads", "1"}, caffe));
        assertEquals(0, fit.code(), fit.err());
        Path packaged = out.resolve("model.onnx");
        Path plain = dir.resolve("plain.onnx");
        java.nio.file.Files.write(plain, ai.onnx.proto.OnnxMl.ModelProto.parseFrom(
                java.nio.file.Files.readAllBytes(packaged)).toBuilder().clearMetadataProps().build().toByteArray());
        Path labels = dir.resolve("labels.txt");
        java.nio.file.Files.writeString(labels, "a\nb\n");

        Run viaCard = Run.of("evaluate", "--model", packaged.toString(), "--data", data.toString(), "--json");
        assertEquals(0, viaCard.code(), viaCard.err());
        Run declared = Run.of(concat(new String[] {"evaluate", "--model", plain.toString(), "--data",
            data.toString(), "--labels", labels.toString(), "--json"}, caffe));
        assertEquals(0, declared.code(), declared.err());
        assertTrue(!declared.err().contains("notice:"), declared.err());
        assertEquals(viaCard.out(), declared.out());

        Run assumed = Run.of("evaluate", "--model", plain.toString(), "--data", data.toString(), "--labels",
                labels.toString(), "--json");
        assertEquals(0, assumed.code(), assumed.err());
        assertTrue(assumed.err().startsWith("notice: " + plain + " has no model card; assumed torchvision ImageNet"
                + " preprocessing (RGB, 0-1 scale"), assumed.err());
        assertTrue(!assumed.out().equals(viaCard.out()), "ImageNet preprocessing gave the same scores");

        Run noLabels = Run.of("evaluate", "--model", plain.toString(), "--data", data.toString());
        assertEquals(2, noLabels.code());
        assertTrue(noLabels.err().startsWith("trainer evaluate: --model " + plain + " has no model card (a plain"
                + " ONNX model); name its classes with --labels FILE"), noLabels.err());
        java.nio.file.Files.writeString(labels, "a\nb\nc\n");
        Run wrongCount = Run.of("evaluate", "--model", plain.toString(), "--data", data.toString(), "--labels",
                labels.toString());
        assertEquals(2, wrongCount.code());
        assertEquals("trainer evaluate: --labels " + labels + " names 3 classes but output 'logits' has 2 scores"
                + " per image; allowed exactly 2 names, one per line in output order\n", wrongCount.err());
        Run onPackage = Run.of("evaluate", "--model", packaged.toString(), "--data", data.toString(), "--mean",
                "1,2,3");
        assertEquals(2, onPackage.code());
        assertEquals("trainer evaluate: --model " + packaged + " is a model package whose card fixes its"
                + " preprocessing; " + "--pixel-scale/--mean/--std/--channel-order/--resize/--crop are for plain"
                + " ONNX models only, drop them\n", onPackage.err());
    }

    /** A Keras-style N×H×W×C base becomes an N×C×H×W package that the card describes and evaluate runs. */
    @Test
    void channelsLastBaseBecomesAPackageThatEvaluateRuns(@TempDir Path dir) throws Exception {
        Path keras = Path.of("src/test/resources/onnx/arch/keras_nhwc_op13.onnx");
        Path out = dir.resolve("run");
        Run fit = Run.of("fit", "--base", keras.toString(), "--data", data.toString(), "--out", out.toString(),
                "--epochs", "1", "--strategy", "head", "--no-augment", "--threads", "1", "--mean", "0.5,0.5,0.5",
                "--std", "0.5,0.5,0.5");
        assertEquals(0, fit.code(), fit.err());
        ModelPackage written = ModelPackage.read(out.resolve("model.onnx"));
        assertEquals(3L, written.card().input().shape().get(1));
        Run eval = Run.of("evaluate", "--model", out.resolve("model.onnx").toString(), "--data", data.toString());
        assertEquals(0, eval.code(), eval.err());
        assertTrue(eval.out().startsWith("accuracy "), eval.out());
    }

    /**
     * A Caffe2-era float16 file (float16 input and output, leftover attributes ONNX Runtime refuses) evaluates as
     * plain ONNX: the same scores as its float32 twin, to float16 precision.
     */
    @Test
    void evaluateRunsAFloat16PlainModelLikeItsFloat32Twin(@TempDir Path dir) throws Exception {
        Path labels = dir.resolve("labels.txt");
        java.nio.file.Files.writeString(labels, "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n");
        Path legacy = Path.of("src/test/resources/onnx/legacy");
        com.fasterxml.jackson.databind.JsonNode[] docs = new com.fasterxml.jackson.databind.JsonNode[2];
        String[] files = {"caffe2_fp16_op8.onnx", "caffe2_fp32_twin_op8.onnx"};
        for (int i = 0; i < 2; i++) {
            Run r = Run.of("evaluate", "--model", legacy.resolve(files[i]).toString(), "--data", data.toString(),
                    "--labels", labels.toString(), "--json", "--worst", "100");
            assertEquals(0, r.code(), files[i] + ": " + r.err());
            docs[i] = io.edgeloop.protocol.json.ProtocolJson.parseTree(
                    r.out().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        assertEquals(8, docs[0].get("images").asInt());
        assertEquals(docs[1].get("accuracy").asDouble(), docs[0].get("accuracy").asDouble());
        assertEquals(docs[1].get("confusionMatrix"), docs[0].get("confusionMatrix"));
        assertEquals(docs[1].get("loss").asDouble(), docs[0].get("loss").asDouble(), 2e-3);
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
