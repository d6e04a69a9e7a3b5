package io.edgeloop.trainer.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.onnx.proto.OnnxMl;
import io.edgeloop.trainer.arch.ArchSpec;
import io.edgeloop.trainer.arch.Architecture;
import io.edgeloop.trainer.arch.ArchitectureOnnx;
import io.edgeloop.trainer.model.FineTuneStrategy;
import io.edgeloop.trainer.onnx.HeadSpec;
import io.edgeloop.trainer.onnx.OnnxClassifierNetwork;
import io.edgeloop.trainer.onnx.OnnxImporter;
import io.edgeloop.trainer.testing.TrainingSteps;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The base models {@code trainer init} builds import, fine-tune and export like torchvision's exports: a second
 * round (re-importing the export) works too.
 */
class InitArchitectureRoundTripTest {

    private static NDManager manager;

    @BeforeAll
    static void start() {
        manager = NDManager.newBaseManager("PyTorch");
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void importTrainExportAndReimport(Architecture architecture) throws Exception {
        OnnxMl.ModelProto base = ArchitectureOnnx.build(new ArchSpec(architecture, 0.25, 32, 10, 4));
        try (OnnxClassifierNetwork net = OnnxImporter.load(base, HeadSpec.auto(4, 2), manager)) {
            TrainingSteps.sgd(net, FineTuneStrategy.FULL, 1);
            OnnxMl.ModelProto exported = OnnxExporter.export(net);
            ExportVerifier.Result r = ExportVerifier.verify(exported, net, 32, 5);
            System.out.printf("init %-12s %s%n", architecture.cliName(), r);
            assertTrue(r.passed(), r.toString());
            try (OnnxClassifierNetwork again = OnnxImporter.load(exported, HeadSpec.auto(3, 2), manager)) {
                assertEquals(net.featureSize(), again.featureSize());
                assertEquals(java.util.List.of("edgeloop_head/Gemm"), again.headCut().oldHeadNodes());
                assertTrue(ExportVerifier.verify(OnnxExporter.export(again), again, 32, 6).passed());
            }
        }
    }
}
