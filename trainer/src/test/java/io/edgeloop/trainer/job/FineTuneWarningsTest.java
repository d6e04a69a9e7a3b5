package io.edgeloop.trainer.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import io.edgeloop.trainer.arch.ArchSpec;
import io.edgeloop.trainer.arch.Architecture;
import io.edgeloop.trainer.arch.ArchitectureOnnx;
import io.edgeloop.trainer.model.FineTuneStrategy;
import io.edgeloop.trainer.testing.TestImages;
import io.edgeloop.trainer.train.EpochMetrics;
import io.edgeloop.trainer.train.FitConfig;
import io.edgeloop.trainer.train.FitListener;
import io.edgeloop.trainer.warning.BaseWeights;
import io.edgeloop.trainer.warning.RunWarning;
import io.edgeloop.trainer.warning.WarningCode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job's warning step on real bases: the committed Fashion-MNIST base with colour images, and a random
 * {@code trainer init} graph; base and data warnings arrive before the first epoch, the validation one after the
 * last, and none stops the run.
 */
class FineTuneWarningsTest {

    static final Path COMMITTED = Path.of("").toAbsolutePath().getParent().resolve("models/base/model.onnx");

    @TempDir
    static Path shared;
    static Path colour;

    @BeforeAll
    static void data() throws Exception {
        colour = shared.resolve("colour");
        TestImages.writeDataset(colour, new String[] {"red", "blue"}, new int[] {6, 6}, 40, 11);
    }

    @Test
    void theCommittedGreyBaseWithColourImagesWarnsOfTheDomainNotOfRandomWeights(@TempDir Path out)
            throws Exception {
        List<String> events = new ArrayList<>();
        FineTuneResult result = run(COMMITTED, out, events);
        assertEquals(List.of(WarningCode.GREY_BASE_COLOUR_DATA, WarningCode.VALIDATION_TOO_SMALL),
                result.warnings().stream().map(RunWarning::code).toList());
        assertEquals(List.of("warning grey-base-colour-data", "epoch", "warning validation-too-small"), events);
        assertTrue(result.warnings().get(0).message().startsWith(COMMITTED + " was trained on grey images"
                + " (Fashion-MNIST)"), result.warnings().get(0).message());
        assertTrue(result.warnings().get(1).message().startsWith("the validation accuracy "),
                result.warnings().get(1).message());
    }

    @Test
    void aRandomInitBaseWarnsBeforeTraining(@TempDir Path out) throws Exception {
        Path base = out.resolve("init.onnx");
        ArchitectureOnnx.write(ArchitectureOnnx.build(new ArchSpec(Architecture.SIMPLECNN, 0.5, 32, 10, 3))
                .toBuilder().addMetadataProps(StringStringEntryProto.newBuilder().setKey(BaseWeights.MARKER_KEY)
                        .setValue(BaseWeights.RANDOM_INIT)).build(), base);
        List<String> events = new ArrayList<>();
        FineTuneResult result = run(base, out.resolve("run"), events);
        assertEquals(List.of("warning random-base", "epoch", "warning validation-too-small"), events);
        String message = result.warnings().get(0).message();
        assertTrue(message.startsWith(base + " is randomly initialised, not pretrained: it is marked"
                + " edgeloop.weights = random-init (as 'trainer init' and 'export-torchvision-base.py --weights"
                + " none' write it); all 4 BatchNorm layers still have"
                + " their initial running statistics (mean 0, variance 1), which any training changes; its"
                + " convolution kernels are unstructured noise"), message);
        assertTrue(result.model().isPresent(), "the warning did not stop the export");
    }

    private static FineTuneResult run(Path base, Path out, List<String> events) throws Exception {
        FitListener progress = new FitListener() {
            @Override
            public void epochFinished(EpochMetrics metrics) {
                events.add("epoch");
            }
        };
        return new FineTuneJob(TrainerServices.defaults()).run(FineTuneRequest.builder().setBase(base)
                        .setData(colour).setOutDir(out).optThreads(1)
                        .optTraining(FitConfig.builder().epochs(1).warmupEpochs(0).strategy(FineTuneStrategy.HEAD)
                                .augment(false).build()).build(), progress,
                w -> events.add(w.severity().id() + " " + w.code().id()));
    }
}
