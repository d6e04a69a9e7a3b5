package io.edgeloop.agent.bench;

import ai.djl.inference.Predictor;
import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.modality.cv.transform.CenterCrop;
import ai.djl.modality.cv.transform.Normalize;
import ai.djl.modality.cv.transform.ResizeShort;
import ai.djl.modality.cv.transform.ToTensor;
import ai.djl.modality.cv.translator.ImageClassificationTranslator;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import io.edgeloop.agent.inference.ModelSpec;
import io.edgeloop.agent.pipeline.DeviceBench;
import io.edgeloop.protocol.model.OutputKind;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Benchmark harness (not a timed test): the agent's frame path against what a Java developer would otherwise
 * write, DJL's {@link Predictor} on the OnnxRuntime engine with its {@link ImageClassificationTranslator}
 * (shorter side 256, centre crop 224, to tensor, ImageNet normalisation; DJL runs these transforms on its PyTorch
 * engine, as it does for an OnnxRuntime model), on the same camera-like 640×480 JPEGs, one ORT thread each, one
 * frame after the other, decode included. The agent side is {@link DeviceBench#measure} (what
 * {@code edge-agent bench} runs). Rounds alternate the two sides; prints frames/s per round and the ratio.
 *
 * <pre>
 * ./mvnw -B -pl edge-agent -am test -Dtest=DjlPredictorBenchmark -DexcludedTestGroups=none \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dbench.model=/tmp/edgeloop-bench/mobilenet_v2.onnx
 * </pre>
 */
@Timeout(value = 1, unit = TimeUnit.HOURS) // long by design: not the build's 5-minute default
final class DjlPredictorBenchmark {

    /**
     * DJL's translator, handed the model's classification output by name: an edgeloop package has a second output
     * (probabilities beside the logits), which the translator's single-output contract refuses.
     */
    private static Translator<Image, Classifications> onOutput(ImageClassificationTranslator translator,
                                                               String output) {
        return new Translator<>() {
            @Override
            public void prepare(TranslatorContext ctx) throws Exception {
                translator.prepare(ctx);
            }

            @Override
            public NDList processInput(TranslatorContext ctx, Image input) throws Exception {
                return translator.processInput(ctx, input);
            }

            @Override
            public Classifications processOutput(TranslatorContext ctx, NDList list) throws Exception {
                NDArray scores = list.size() == 1 ? list.singletonOrThrow() : list.get(output);
                return translator.processOutput(ctx, new NDList(scores));
            }
        };
    }

    @Tag("benchmark")
    @Test
    void benchmark() throws Exception {
        Path model = Path.of(System.getProperty("bench.model", "/tmp/edgeloop-bench/mobilenet_v2.onnx"));
        int frames = Integer.getInteger("bench.frames", 300);
        int rounds = Integer.getInteger("bench.rounds", 3);
        List<byte[]> jpegs = DeviceBench.syntheticJpegs(20, 42);
        ModelSpec spec = DeviceBench.resolve(model).spec();
        List<String> labels = IntStream.range(0, spec.labels().size()).mapToObj(i -> "c" + i).toList();
        ImageClassificationTranslator translator = ImageClassificationTranslator.builder()
                .addTransform(new ResizeShort(256)).addTransform(new CenterCrop(224, 224))
                .addTransform(new ToTensor())
                .addTransform(new Normalize(new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f}))
                .optSynset(labels).optApplySoftmax(spec.outputKind() == OutputKind.LOGITS).build();
        Criteria<Image, Classifications> criteria = Criteria.builder().setTypes(Image.class, Classifications.class)
                .optModelPath(model).optEngine("OnnxRuntime").optTranslator(onOutput(translator, spec.outputName()))
                .optOption("interOpNumThreads", "1").optOption("intraOpNumThreads", "1").build();
        double[] agent = new double[rounds];
        double[] djl = new double[rounds];
        try (ZooModel<Image, Classifications> zoo = criteria.loadModel();
             Predictor<Image, Classifications> predictor = zoo.newPredictor()) {
            ImageFactory images = ImageFactory.getInstance();
            for (int r = 0; r < rounds; r++) {
                agent[r] = DeviceBench.measure(spec, 1, jpegs, 50, frames).framesPerSecond();
                for (int i = 0; i < 50; i++) {
                    predictor.predict(images.fromInputStream(new ByteArrayInputStream(jpegs.get(i % jpegs.size()))));
                }
                long t0 = System.nanoTime();
                for (int i = 0; i < frames; i++) {
                    predictor.predict(images.fromInputStream(new ByteArrayInputStream(jpegs.get(i % jpegs.size()))));
                }
                djl[r] = frames * 1e9 / (System.nanoTime() - t0);
                System.out.printf(Locale.ROOT, "round %d: agent path %.1f frames/s, DJL Predictor %.1f frames/s,"
                        + " ratio %.2f%n", r + 1, agent[r], djl[r], agent[r] / djl[r]);
            }
        }
        double a = Arrays.stream(agent).sorted().toArray()[rounds / 2];
        double d = Arrays.stream(djl).sorted().toArray()[rounds / 2];
        double ratio = IntStream.range(0, rounds).mapToDouble(r -> agent[r] / djl[r]).sorted().toArray()[rounds / 2];
        System.out.printf(Locale.ROOT, "agent / DJL Predictor: %.2f (median of the rounds' ratios; medians %.1f vs"
                + " %.1f frames/s, %d frames per round, 1 ORT thread)%n", ratio, a, d, frames);
        System.out.println("load average at the end: " + java.nio.file.Files.readString(Path.of("/proc/loadavg"))
                .trim());
    }
}
