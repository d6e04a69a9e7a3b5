package io.edgeloop.trainer.quantize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeloop.protocol.digest.Sha256;
import io.edgeloop.protocol.model.ModelCard;
import io.edgeloop.protocol.model.ModelPackage;
import io.edgeloop.protocol.model.Quantization;
import io.edgeloop.trainer.job.JobFailure;
import io.edgeloop.trainer.job.QuantizeJob;
import io.edgeloop.trainer.job.QuantizeRequest;
import io.edgeloop.trainer.job.QuantizeResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole job on the committed fp32 fixture and the real Fashion-MNIST sample: the package ONNX Runtime runs is
 * int8 (fused kernels), agrees with fp32 on real images, and its card keeps the fp32 card and records both
 * accuracies; the gate refuses a drop above --max-drop unless forced.
 */
class QuantizedPackageTest {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-07T12:00:00Z"), ZoneOffset.UTC);

    @TempDir
    static Path tmp;
    static ModelPackage fp32;
    static QuantizeResult minmax;

    @BeforeAll
    static void quantise() throws Exception {
        fp32 = ModelPackage.read(QuantizeFixtures.FP32);
        QuantizeRequest request = QuantizeRequest.of(QuantizeFixtures.FP32, QuantizeFixtures.TRAIN,
                tmp.resolve("minmax")).withValidation(QuantizeFixtures.TEST).withMethod(RangeMethod.MINMAX);
        minmax = new QuantizeJob(CLOCK).run(request);
    }

    @Test
    void onnxRuntimeRunsInt8KernelsForEveryConvAndTheHead() {
        Map<String, Integer> k = minmax.kernels();
        assertEquals(4, k.get("QLinearConv"), k.toString());
        assertEquals(1, k.get("QGemm"), k.toString());
        assertEquals(1, k.get("QLinearGlobalAveragePool"), k.toString());
        assertFalse(k.containsKey("Conv"), k.toString());
        assertFalse(k.containsKey("DequantizeLinear"), "a float island is left: " + k);
        assertEquals(1, k.get("QuantizeLinear"), "only the image is quantised in float: " + k);
        assertEquals(4, minmax.foldedBatchNorms());
        assertTrue(minmax.int8Bytes() < minmax.fp32Bytes() / 3, minmax.int8Bytes() + " vs " + minmax.fp32Bytes());
    }

    @Test
    void theInt8PackageAgreesWithFp32OnRealImages() throws Exception {
        ModelPackage int8 = ModelPackage.read(minmax.model().orElseThrow());
        ModelCard card = fp32.card();
        QuantizeFixtures.Images images = QuantizeFixtures.images(QuantizeFixtures.TEST, card.labels(),
                card.preprocessing(), 400);
        int k = card.labels().size();
        int[] a = QuantizeFixtures.top1(QuantizeFixtures.run(fp32.model().toByteArray(), card.input().name(),
                card.output().name(), images), k);
        int[] b = QuantizeFixtures.top1(QuantizeFixtures.run(int8.model().toByteArray(), card.input().name(),
                card.output().name(), images), k);
        int same = 0;
        int right = 0;
        for (int i = 0; i < a.length; i++) {
            same += a[i] == b[i] ? 1 : 0;
            right += b[i] == images.labels()[i] ? 1 : 0;
        }
        assertEquals(400, a.length);
        assertTrue(same >= 0.97 * a.length, "top-1 agreement " + same + " of " + a.length);
        // the job measured the same thing on the same images
        assertEquals(same / 400.0, minmax.quantization().agreement(), 1e-9);
        assertEquals(right / 400.0, minmax.quantization().int8Accuracy(), 1e-9);
    }

    @Test
    void theCardKeepsTheFp32CardAndRecordsBothAccuracies() throws Exception {
        ModelCard card = ModelPackage.read(minmax.model().orElseThrow()).card();
        ModelCard source = fp32.card();
        assertEquals(source.labels(), card.labels());
        assertEquals(source.preprocessing(), card.preprocessing());
        assertEquals(source.temperature(), card.temperature());
        assertEquals(source.thresholds(), card.thresholds());
        assertEquals(source.metrics(), card.metrics());
        assertEquals(source.name(), card.name());
        assertEquals(source.version() + "-int8", card.version());
        assertEquals(CLOCK.instant(), card.created());
        Quantization q = card.quantization();
        assertEquals(Quantization.SCHEME, q.scheme());
        assertEquals("minmax", q.method());
        assertEquals(160, q.calibrationImages());
        assertEquals(400, q.validationImages());
        assertEquals(0.9325, q.fp32Accuracy(), 1e-9); // what fit measured on the same 400 images
        assertTrue(q.dropPoints() <= 1.0, "drop " + q.dropPoints());
        assertEquals(Sha256.hex(QuantizeFixtures.FP32), q.sourceSha256());
    }

    @Test
    void aDropAboveMaxDropIsRefusedWithBothAccuraciesUnlessForced() throws Exception {
        // few calibration images and a fit split: a setting that costs accuracy on this model
        QuantizeRequest costly = new QuantizeRequest(QuantizeFixtures.FP32, QuantizeFixtures.TEST,
                java.util.Optional.empty(), tmp.resolve("forced"), RangeMethod.ENTROPY, 4, 0, true, 2, 8, 42, 0.5,
                false);
        QuantizeResult forced = new QuantizeJob(CLOCK).run(costly);
        double drop = forced.quantization().dropPoints();
        assertTrue(drop > 0.2, "this setting was expected to cost accuracy, drop " + drop);
        assertTrue(forced.gateExceeded());
        assertTrue(Files.exists(tmp.resolve("forced/model.onnx")));

        Path refusedDir = tmp.resolve("refused");
        JobFailure e = assertThrows(JobFailure.class, () -> new QuantizeJob(CLOCK).run(
                new QuantizeRequest(QuantizeFixtures.FP32, QuantizeFixtures.TEST, java.util.Optional.empty(),
                        refusedDir, RangeMethod.ENTROPY, 4, 0.2, false, 2, 8, 42, 0.5, false)));
        Quantization q = forced.quantization();
        assertEquals(String.format(java.util.Locale.ROOT, "int8 top-1 accuracy %.2f %% is %.2f points below fp32"
                + " %.2f %% on %d validation images (method entropy), more than --max-drop 0.20; nothing written."
                + " Try another --method (minmax, percentile, entropy), more --calib-images, or --force to write it"
                + " anyway", 100 * q.int8Accuracy(), drop, 100 * q.fp32Accuracy(), q.validationImages()),
                e.getMessage());
        assertFalse(Files.exists(refusedDir.resolve("model.onnx")));

        QuantizeResult passes = new QuantizeJob(CLOCK).run(new QuantizeRequest(QuantizeFixtures.FP32,
                QuantizeFixtures.TEST, java.util.Optional.empty(), tmp.resolve("passes"), RangeMethod.ENTROPY, 4,
                drop + 0.01, false, 2, 8, 42, 0.5, false));
        assertFalse(passes.gateExceeded());
    }

    @Test
    void anInt8PackageIsNotQuantisedAgain() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new QuantizeJob(CLOCK)
                .run(QuantizeRequest.of(minmax.model().orElseThrow(), QuantizeFixtures.TRAIN, tmp.resolve("again"))));
        assertTrue(e.getMessage().startsWith("--model " + minmax.model().orElseThrow() + " is already an int8"
                + " package (minmax, from "), e.getMessage());
    }
}
