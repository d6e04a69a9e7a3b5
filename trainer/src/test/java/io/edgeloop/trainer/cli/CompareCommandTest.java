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
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code trainer compare} on real packages: a trained model against itself (not distinguishable), and against a
 * copy whose card names its outputs in the wrong order (a model that is really worse on every image).
 */
class CompareCommandTest {

    @TempDir
    static Path shared;
    static Path good;
    static Path scrambled;
    static Path test;

    @BeforeAll
    static void models() throws Exception {
        Path train = shared.resolve("train");
        test = shared.resolve("test");
        writeColours(train, 10, 1);
        writeColours(test, 15, 2);
        Path base = shared.resolve("base.onnx");
        ArchitectureOnnx.write(ArchitectureOnnx.build(new ArchSpec(Architecture.SIMPLECNN, 0.5, 32, 10, 1)), base);
        Run fit = Run.of("fit", "--base", base.toString(), "--data", train.toString(), "--out",
                shared.resolve("run").toString(), "--epochs", "8", "--strategy", "full", "--no-augment", "--threads",
                "1", "--seed", "2");
        assertEquals(0, fit.code(), fit.err());
        good = shared.resolve("run/model.onnx");
        ModelPackage pkg = ModelPackage.read(good);
        List<String> labels = new ArrayList<>(pkg.card().labels());
        Collections.reverse(labels);
        ModelCard wrong = pkg.card().toBuilder().setLabels(labels).setVersion("scrambled").build();
        scrambled = shared.resolve("scrambled.onnx");
        ModelPackage.write(pkg.model(), wrong, scrambled);
    }

    @Test
    void aModelAgainstItselfIsNotDistinguishable() {
        Run r = Run.of("compare", "--model", good.toString(), "--model", good.toString(), "--data", test.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("only the baseline right: 0, only the candidate right: 0\nMcNemar exact"
                + " p = 1.000 (two-sided)\n"), r.out());
        assertTrue(r.out().endsWith("verdict: the candidate is not distinguishable (alpha 0.05)\n"), r.out());
        for (String line : r.out().split("\n")) {
            assertTrue(line.length() <= 80 || line.startsWith("baseline") || line.startsWith("candidate"), line);
        }
    }

    @Test
    void aScrambledCopyIsWorseAndTheOriginalBetter() {
        Run worse = Run.of("compare", "--model", good.toString(), "--model", scrambled.toString(), "--data",
                test.toString(), "--json");
        assertEquals(0, worse.code(), worse.err());
        JsonNode doc = ProtocolJson.parseTree(worse.out().getBytes(StandardCharsets.UTF_8));
        assertEquals(45, doc.get("images").asInt());
        assertTrue(doc.get("baselineAccuracy").asDouble() >= 0.9, worse.out());
        assertTrue(doc.get("candidateAccuracy").asDouble() < doc.get("baselineAccuracy").asDouble(), worse.out());
        assertTrue(doc.get("pValue").asDouble() < 0.05, worse.out());
        assertEquals("worse", doc.get("verdict").asText());
        assertEquals(3, doc.get("perClass").size());

        Run better = Run.of("compare", "--model", scrambled.toString(), "--model", good.toString(), "--data",
                test.toString());
        assertEquals(0, better.code(), better.err());
        assertTrue(better.out().endsWith("verdict: the candidate is better (alpha 0.05)\n"), better.out());
    }

    @Test
    void badUseIsOneLineWithExitTwo() {
        Run once = Run.of("compare", "--model", good.toString(), "--data", test.toString());
        assertEquals(2, once.code());
        assertEquals("trainer compare: --model is given 1 time, allowed exactly 2: --model BASELINE --model"
                + " CANDIDATE\n", once.err());
        Run alpha = Run.of("compare", "--model", good.toString(), "--model", good.toString(), "--data",
                test.toString(), "--alpha", "0.9");
        assertEquals(2, alpha.code());
        assertEquals("trainer compare: --alpha is 0.9, allowed 0 < alpha <= 0.5 (e.g. 0.05)\n", alpha.err());
    }

    private static void writeColours(Path root, int perClass, long seed) throws Exception {
        String[] names = {"red", "green", "blue"};
        Color[] colours = {new Color(200, 40, 40), new Color(40, 180, 60), new Color(50, 70, 210)};
        Random random = new Random(seed);
        for (int c = 0; c < names.length; c++) {
            Path folder = Files.createDirectories(root.resolve(names[c]));
            for (int i = 0; i < perClass; i++) {
                BufferedImage image = new BufferedImage(40, 40, BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < 40; y++) {
                    for (int x = 0; x < 40; x++) {
                        int n = (int) (random.nextGaussian() * 25);
                        image.setRGB(x, y, new Color(clamp(colours[c].getRed() + n), clamp(colours[c].getGreen() + n),
                                clamp(colours[c].getBlue() + n)).getRGB());
                    }
                }
                ImageIO.write(image, "png", folder.resolve(names[c] + i + ".png").toFile());
            }
        }
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
