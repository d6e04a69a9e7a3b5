package io.edgeloop.trainer.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.onnx.proto.OnnxMl;
import io.edgeloop.protocol.mqtt.Topics;
import io.edgeloop.protocol.testing.Fuzzer;
import io.edgeloop.trainer.collect.HardExampleIntake;
import io.edgeloop.trainer.collect.HardExamples;
import io.edgeloop.trainer.collect.Inbox;
import io.edgeloop.trainer.loop.LoopConfig;
import io.edgeloop.trainer.onnx.HeadSpec;
import io.edgeloop.trainer.onnx.OnnxClassifierNetwork;
import io.edgeloop.trainer.onnx.OnnxImportException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzz campaigns over the trainer's parsers (see docs/reliability.md): ONNX import, hard-example payloads to the
 * collector, and loop.yaml. A few hundred cases each here (fewer for ONNX import, whose accepted cases build a
 * network); {@code -Dfuzz.cases=N} for more.
 */
class TrainerFuzzTest {

    @TempDir
    Path tmp;

    /** A case the parser refused in its documented way without throwing (the collector's REJECTED outcome). */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    @Test
    void onnxImportRefusesOrImportsEveryMutatedModel() throws Exception {
        List<byte[]> seeds = new ArrayList<>();
        byte[] valid = Files.readAllBytes(Path.of("src/test/resources/onnx/arch/alias_shared_conv_weight_op13.onnx"));
        seeds.add(valid);
        seeds.add(Files.readAllBytes(Path.of("src/test/resources/onnx/arch/alias_identity_chain_op9_ir3.onnx")));
        seeds.addAll(OnnxShapes.hostile(OnnxMl.ModelProto.parseFrom(valid)));
        Path file = tmp.resolve("model.onnx");
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            Fuzzer.Report report = new Fuzzer("onnx-import", seeds, t -> t instanceof OnnxImportException
                    ? "OnnxImportException" : null).seed(15).timeoutMillis(30_000)
                    .run(Fuzzer.cases(150), input -> {
                        Files.write(file, input);
                        try (NDManager sub = manager.newSubManager();
                                OnnxClassifierNetwork net = io.edgeloop.trainer.onnx.OnnxImporter.load(file,
                                        HeadSpec.auto(3, 1), sub)) {
                            net.getClass();
                        }
                    });
            assertEquals(List.of(), report.failures(), report.summary());
            assertTrue(report.accepted() > 0 && !report.rejected().isEmpty(), report.summary());
        }
    }

    @Test
    void theCollectorStoresOrRejectsEveryMutatedHardExampleAndWritesOnlyInItsInbox() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("collect"));
        Inbox inbox = Inbox.open(root.resolve("inbox"));
        HardExampleIntake intake = new HardExampleIntake(inbox, Topics.DEFAULT, 3, 0,
                Clock.fixed(Instant.parse("2026-12-07T20:00:00Z"), ZoneOffset.UTC));
        List<byte[]> seeds = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String device = i % 2 == 0 ? "gate-01" : "dock-7";
            String camera = i < 2 ? "front" : "yard";
            seeds.add(message("edgeloop/" + device + "/" + camera + "/hard",
                    HardExamples.payload(device, camera, 100 + i, HardExamples.jpeg(i))));
        }
        Fuzzer.Report report = new Fuzzer("collector", seeds, t -> t instanceof Refused ? "REJECTED" : null).seed(15)
                .run(Fuzzer.cases(300), input -> {
                    int nl = indexOf(input, (byte) '\n');
                    String topic = new String(input, 0, Math.max(nl, 0), StandardCharsets.UTF_8);
                    byte[] payload = Arrays.copyOfRange(input, nl + 1, input.length);
                    HardExampleIntake.Outcome outcome = intake.accept(topic, payload);
                    if (outcome == HardExampleIntake.Outcome.REJECTED) {
                        throw new Refused(topic);
                    }
                    if (outcome == HardExampleIntake.Outcome.FAILED) {
                        throw new IllegalStateException("outcome FAILED: the message would be redelivered forever");
                    }
                });
        assertEquals(List.of(), report.failures(), report.summary());
        assertTrue(report.accepted() > 0 && !report.rejected().isEmpty(), report.summary());
        try (Stream<Path> files = Files.walk(tmp)) {
            List<Path> outside = files.filter(Files::isRegularFile)
                    .filter(p -> !p.startsWith(root.resolve("inbox"))).toList();
            assertEquals(List.of(), outside, "files the collector wrote outside its inbox");
        }
    }

    @Test
    void loopConfigLoadsOrRefusesEveryMutatedFile() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("loop"));
        Path file = dir.resolve("loop.yaml");
        List<byte[]> seeds = List.of(Files.readAllBytes(Path.of("../devices/workstation/loop.yaml")));
        Fuzzer.Report report = new Fuzzer("loop-config", seeds,
                t -> t instanceof IllegalArgumentException ? "IllegalArgumentException" : null).seed(15).text()
                .run(Fuzzer.cases(400), input -> {
                    Files.write(file, input);
                    LoopConfig.load(file);
                });
        assertEquals(List.of(), report.failures(), report.summary());
        assertTrue(report.accepted() > 0 && !report.rejected().isEmpty(), report.summary());
        try (Stream<Path> left = Files.walk(tmp)) {
            assertEquals(List.of(tmp, dir, file), left.sorted().toList(), "loading loop.yaml writes no file");
        }
    }

    private static byte[] message(String topic, byte[] payload) {
        byte[] t = (topic + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] out = Arrays.copyOf(t, t.length + payload.length);
        System.arraycopy(payload, 0, out, t.length, payload.length);
        return out;
    }

    private static int indexOf(byte[] data, byte b) {
        for (int i = 0; i < data.length; i++) {
            if (data[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
