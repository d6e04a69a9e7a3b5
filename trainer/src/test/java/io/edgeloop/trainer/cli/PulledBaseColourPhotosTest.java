package io.edgeloop.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeloop.protocol.json.ProtocolJson;
import io.edgeloop.protocol.model.ModelCard;
import io.edgeloop.protocol.model.ModelPackage;
import io.edgeloop.trainer.arch.ArchSpec;
import io.edgeloop.trainer.arch.Architecture;
import io.edgeloop.trainer.arch.ArchitectureOnnx;
import io.edgeloop.trainer.base.FixtureServer;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #10's user: colour photos and a base pulled from a catalogue (served here by a loopback server, as nothing
 * can be downloaded), then one {@code fit}: the package keeps the base's ImageNet preprocessing, carries the user's
 * labels, and classifies held-out photos on ONNX Runtime. The served base is a project-made 1000-class ResNet-18
 * (quarter width, 32 px) with torchvision's random initialisation, so the run must also say so: a real zoo base is
 * what a user pulls, and the colour scenes here are easy enough for random features.
 */
class PulledBaseColourPhotosTest {

    private static final String[] SCENES = {"apples", "leaves", "sky"};
    private static final Color[] TINTS = {new Color(190, 40, 35), new Color(60, 150, 50), new Color(70, 120, 210)};

    @TempDir
    Path dir;

    @Test
    void aPulledBaseAndColourPhotosGiveAWorkingModelInOneFit() throws Exception {
        Path made = dir.resolve("resnet18-1000.onnx");
        ArchitectureOnnx.write(ArchitectureOnnx.build(new ArchSpec(Architecture.RESNET18, 0.25, 32, 1000, 42)), made);
        byte[] base = Files.readAllBytes(made);
        Path catalog = dir.resolve("catalog.json");
        Path pulled = dir.resolve("bases/tiny");
        try (FixtureServer server = new FixtureServer(FixtureServer.serving(base, true))) {
            Files.writeString(catalog, FixtureServer.catalogJson("tiny", server.url("/tiny.onnx"), base, "input",
                    "NCHW", 32));
            Run pull = Run.of("base", "pull", "tiny", "--catalog", catalog.toString(), "--cache",
                    dir.resolve("cache").toString(), "--dir", pulled.toString());
            assertEquals(0, pull.code(), pull.err());
        }
        Path train = dir.resolve("photos");
        Path test = dir.resolve("held-out");
        writePhotos(train, 12, 1);
        writePhotos(test, 8, 2);

        Path run = dir.resolve("run");
        Run fit = Run.of("fit", "--base", pulled.resolve("model.onnx").toString(), "--data", train.toString(),
                "--out", run.toString(), "--epochs", "20", "--threads", "2", "--seed", "3");
        assertEquals(0, fit.code(), fit.err());
        assertTrue(fit.err().contains("random-base"), "a random stand-in base is called one: " + fit.err());

        ModelCard card = ModelPackage.read(run.resolve("model.onnx")).card();
        assertEquals(List.of(SCENES), card.labels());
        assertEquals(List.of(0.485, 0.456, 0.406), card.preprocessing().mean());
        assertEquals(32, card.preprocessing().cropSize());

        Run eval = Run.of("evaluate", "--model", run.resolve("model.onnx").toString(), "--data", test.toString(),
                "--json");
        assertEquals(0, eval.code(), eval.err());
        JsonNode doc = ProtocolJson.parseTree(eval.out().getBytes(StandardCharsets.UTF_8));
        assertEquals(24, doc.get("images").asInt());
        double accuracy = doc.get("accuracy").asDouble();
        System.out.printf("pulled stand-in base, 36 colour photos, one fit: held-out accuracy %.3f%n", accuracy);
        assertTrue(accuracy >= 0.9, "held-out accuracy " + accuracy);
    }

    /** Photo-like 160×120 JPEGs: a tinted scene with lighting gradients, clutter of other colours and noise. */
    private static void writePhotos(Path root, int perClass, long seed) throws Exception {
        Random random = new Random(seed);
        for (int c = 0; c < SCENES.length; c++) {
            Path folder = Files.createDirectories(root.resolve(SCENES[c]));
            for (int i = 0; i < perClass; i++) {
                BufferedImage image = new BufferedImage(160, 120, BufferedImage.TYPE_INT_RGB);
                Graphics2D g = image.createGraphics();
                for (int y = 0; y < 120; y++) {
                    double light = 0.6 + 0.5 * y / 120.0 + 0.2 * random.nextGaussian() / 10;
                    g.setColor(shade(TINTS[c], light));
                    g.drawLine(0, y, 159, y);
                }
                for (int k = 0; k < 2; k++) {
                    Color other = TINTS[(c + 1 + random.nextInt(2)) % TINTS.length];
                    g.setColor(shade(other, 0.5 + random.nextDouble() * 0.5));
                    int w = 4 + random.nextInt(10);
                    g.fillOval(random.nextInt(150), random.nextInt(110), w, 4 + random.nextInt(10));
                }
                g.dispose();
                for (int p = 0; p < 600; p++) {
                    int x = random.nextInt(160);
                    int y = random.nextInt(120);
                    image.setRGB(x, y, shade(new Color(image.getRGB(x, y)), 0.7 + random.nextDouble() * 0.6).getRGB());
                }
                ImageIO.write(image, "jpg", folder.resolve(SCENES[c] + "-" + i + ".jpg").toFile());
            }
        }
    }

    private static Color shade(Color c, double factor) {
        return new Color(clamp(c.getRed() * factor), clamp(c.getGreen() * factor), clamp(c.getBlue() * factor));
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }
}
