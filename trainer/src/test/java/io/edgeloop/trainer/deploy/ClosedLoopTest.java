package io.edgeloop.trainer.deploy;

import io.edgeloop.trainer.cli.DeployModelCommand;
import io.edgeloop.trainer.cli.KeysCommand;
import io.edgeloop.trainer.cli.LabelCommand;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeloop.protocol.mqtt.DeployCommand;
import io.edgeloop.protocol.mqtt.Topics;
import io.edgeloop.protocol.signing.KeyFiles;
import io.edgeloop.protocol.signing.TrustStore;
import io.edgeloop.protocol.testing.Mosquitto;
import io.edgeloop.protocol.testing.TestMqtt;
import io.edgeloop.trainer.collect.CollectorSettings;
import io.edgeloop.trainer.cli.CommandLines;
import io.edgeloop.trainer.collect.HardExampleCollector;
import io.edgeloop.trainer.collect.HardExampleIntake;
import io.edgeloop.trainer.collect.HardExamples;
import io.edgeloop.trainer.collect.Inbox;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The workstation side of the loop in one go, as in the demo: a device replaying Fashion-MNIST images sends hard
 * examples, the collector stores them, ground truth from the replay folder labels them, they are exported into the
 * training tree, and a signed model is deployed back to the device, which activates it.
 */
class ClosedLoopTest {

    private static final Path SAMPLE = Path.of("").toAbsolutePath().getParent()
            .resolve("data/fashion-mnist-target/test");

    @TempDir
    Path dir;

    @Test
    void hardExamplesBecomeTrainingDataAndASignedModelGoesBack() throws Exception {
        Path replay = dir.resolve("replay");
        Path dataset = dir.resolve("dataset/train");
        List<Path> classes;
        try (Stream<Path> s = Files.list(SAMPLE)) {
            classes = s.filter(Files::isDirectory).sorted().toList();
        }
        try (Mosquitto broker = Mosquitto.start(dir.resolve("mosquitto"))) {
            Path inboxDir = dir.resolve("work/inbox");
            CollectorSettings settings = CollectorSettings.of(broker.uri(), "collector-loop");
            HardExampleIntake intake = new HardExampleIntake(Inbox.open(inboxDir), Topics.DEFAULT, 2, 0,
                    Clock.systemUTC());
            MqttClient device = TestMqtt.client(broker.uri(), "gate-05");
            device.connect(new MqttConnectionOptions());
            try (HardExampleCollector collector = HardExampleCollector.start(settings, intake)) {
                assertTrue(collector.awaitSubscribed(Duration.ofSeconds(10)));
                int seq = 0;
                for (Path cls : classes) {
                    Files.createDirectories(dataset.resolve(cls.getFileName()));
                    try (Stream<Path> images = Files.list(cls)) {
                        for (Path image : images.sorted().limit(2).toList()) {
                            Path copy = replay.resolve(cls.getFileName()).resolve(image.getFileName());
                            Files.createDirectories(copy.getParent());
                            Files.copy(image, copy);
                            BufferedImage src = ImageIO.read(image.toFile());
                            BufferedImage rgb = new BufferedImage(src.getWidth(), src.getHeight(),
                                    BufferedImage.TYPE_INT_RGB);
                            rgb.getGraphics().drawImage(src, 0, 0, null);
                            device.publish("edgeloop/gate-05/front/hard", new MqttMessage(HardExamples.payload(
                                    "gate-05", "front", ++seq, HardExamples.jpeg(rgb, 0.9f)), 1, false, null));
                        }
                    }
                }
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (collector.summary().received() < 8 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertEquals(8, collector.summary().stored(), collector.summary().toString());
            } finally {
                device.disconnect();
                device.close();
            }

            assertEquals(0, run(new LabelCommand(), "auto", "--inbox", inboxDir.toString(), "--truth-from",
                    "replay", "--replay", replay.toString()));
            assertEquals(0, run(new LabelCommand(), "export", "--inbox", inboxDir.toString(), "--into",
                    dataset.toString()));
            for (Path cls : classes) {
                try (Stream<Path> files = Files.list(dataset.resolve(cls.getFileName()))) {
                    assertEquals(2, files.filter(p -> p.getFileName().toString().startsWith("hard-gate-05.front."))
                            .count(), "hard examples exported into " + cls.getFileName());
                }
            }

            Path keys = dir.resolve("keys");
            assertEquals(0, run(new KeysCommand(), "generate", "--out", keys.toString()));
            Path model = TestModels.write(dir.resolve("models/fashion/2/model.onnx"), "2").file();
            TrustStore trust = TrustStore.of(List.of(KeyFiles.readPublicKey(keys.resolve("deploy.pub.pem"))));
            try (FakeDevice gate = new FakeDevice(broker.uri(), "gate-05", trust).listen()) {
                StringWriter out = new StringWriter();
                int code = CommandLines.execute(new DeployModelCommand(), new PrintWriter(out),
                        new PrintWriter(new StringWriter()), "--model", model.toString(), "--key",
                        keys.resolve("deploy.pem").toString(), "--broker", broker.uri(), "--device", "gate-05",
                        "--wait", "20");
                assertEquals(0, code, out.toString());
                assertTrue(out.toString().endsWith("gate-05: active\nDeploy complete: gate-05 active\n"),
                        out.toString());
                assertEquals(List.of("2"), gate.commands.stream().map(DeployCommand::version).toList(),
                        "the device received exactly the one signed command, for version 2");
            }
        }
    }

    private static int run(Object command, String... args) {
        StringWriter err = new StringWriter();
        int code = CommandLines.execute(command, new PrintWriter(new StringWriter()), new PrintWriter(err), args);
        if (code != 0) {
            throw new AssertionError(String.join(" ", args) + " exited " + code + ": " + err);
        }
        return code;
    }
}
