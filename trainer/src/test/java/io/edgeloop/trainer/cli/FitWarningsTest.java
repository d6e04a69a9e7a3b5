package io.edgeloop.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.trainer.testing.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a new user with a folder of colour photos sees: {@code trainer init}'s random base and the committed grey
 * Fashion-MNIST base each get their warning on stderr, counted in the summary, and kept in report.html and
 * metrics.json; the summary and {@code evaluate} give the accuracy's 95 % interval.
 */
class FitWarningsTest {

    static final Path COMMITTED = Path.of("").toAbsolutePath().getParent().resolve("models/base/model.onnx");
    private static final Pattern CI_LINE = Pattern.compile(
            "\nval accuracy \\d+\\.\\d % \\(95 % CI \\d+\\.\\d–\\d+\\.\\d %, n=\\d+\\)\n");

    @TempDir
    static Path shared;
    static Path photos;

    @BeforeAll
    static void data() throws Exception {
        photos = shared.resolve("photos");
        TestImages.writeDataset(photos, new String[] {"red", "blue"}, new int[] {6, 6}, 128, 21);
    }

    @Test
    void aBaseFromInitGetsTheRandomBaseWarning(@TempDir Path dir) throws Exception {
        Path base = dir.resolve("init.onnx");
        Run init = Run.of("init", "--arch", "simplecnn", "--width", "0.5", "--image-size", "64", "--classes", "10",
                "--out", base.toString());
        assertEquals(0, init.code(), init.err());
        Run fit = fit(base, dir.resolve("run"));
        assertTrue(fit.err().contains("warning (random-base): " + base + " is randomly initialised, not pretrained:"
                + " it is marked edgeloop.weights = random-init (as 'trainer init' and"
                + " 'export-torchvision-base.py --weights none' write it)"), fit.err());
        assertTrue(fit.err().contains("\n  what to do: pull or build a pretrained base (see docs/bases.md)"),
                fit.err());
        assertFalse(fit.err().contains("grey-base-colour-data"), fit.err());
        assertTrue(CI_LINE.matcher(fit.out()).find(), fit.out());
        assertTrue(fit.out().contains("\nwarnings: random-base, validation-too-small (on stderr above and in the"
                + " report)\nreport: "), fit.out());
        // the marker is not inherited (the exporter writes its own metadata), but head-only training leaves the
        // random kernels, so using the result as a base warns again, now from the weights alone
        ModelProto tuned = ModelProto.parseFrom(Files.readAllBytes(dir.resolve("run/model.onnx")));
        assertFalse(tuned.getMetadataPropsList().stream().anyMatch(p -> p.getKey().equals("edgeloop.weights")));
        Run again = fit(dir.resolve("run/model.onnx"), dir.resolve("again"));
        assertTrue(again.err().contains("is randomly initialised, not pretrained: all 4 BatchNorm layers still have"
                + " their initial running statistics"), again.err());
    }

    @Test
    void theCommittedGreyBaseWithColourPhotosGetsTheDomainWarningsInEveryOutput(@TempDir Path dir)
            throws Exception {
        Path run = dir.resolve("run");
        Run fit = fit(COMMITTED, run);
        assertFalse(fit.err().contains("random-base"), fit.err());
        assertTrue(fit.err().contains("warning (grey-base-colour-data): " + COMMITTED + " was trained on grey"
                + " images (Fashion-MNIST)"), fit.err());
        assertTrue(fit.err().contains("warning (images-shrunk): the sampled images' median shorter side is 128 px"
                + " but " + COMMITTED + " takes 28x28 input (Fashion-MNIST)"), fit.err());
        assertTrue(fit.out().contains("\nwarnings: grey-base-colour-data, images-shrunk, validation-too-small"),
                fit.out());

        JsonNode metrics = new ObjectMapper().readTree(run.resolve("metrics.json").toFile());
        List<String> codes = new ArrayList<>();
        metrics.get("warnings").forEach(w -> codes.add(w.get("code").asText()));
        assertEquals(List.of("grey-base-colour-data", "images-shrunk", "validation-too-small"), codes);
        assertEquals("warning", metrics.get("warnings").get(0).get("severity").asText());
        assertTrue(metrics.get("warnings").get(0).get("advice").asText().contains("docs/bases.md"));
        JsonNode ci = metrics.get("final").get("accuracyInterval");
        assertEquals(metrics.get("final").get("images").asInt(), ci.get("images").asInt());
        assertTrue(ci.get("low").asDouble() <= metrics.get("final").get("accuracy").asDouble());
        assertTrue(ci.get("high").asDouble() >= metrics.get("final").get("accuracy").asDouble());
        String html = Files.readString(run.resolve("report.html"));
        assertTrue(html.contains("id=\"warnings\""));
        for (String code : codes) {
            assertTrue(html.contains("data-code=\"" + code + "\""), code);
        }

        Run evaluate = Run.of("evaluate", "--model", run.resolve("model.onnx").toString(), "--data",
                photos.toString());
        assertEquals(0, evaluate.code(), evaluate.err());
        assertTrue(evaluate.out().contains("\naccuracy 95 % CI "), evaluate.out());
        assertTrue(evaluate.out().contains(" of 12 correct)\n"), evaluate.out());
        assertTrue(evaluate.err().startsWith("warning (validation-too-small): the evaluation accuracy "),
                evaluate.err());
        Run json = Run.of("evaluate", "--model", run.resolve("model.onnx").toString(), "--data", photos.toString(),
                "--json");
        JsonNode doc = new ObjectMapper().readTree(json.out());
        assertEquals(12, doc.get("accuracyInterval").get("images").asInt());
        assertEquals("wilson", doc.get("accuracyInterval").get("method").asText());
        assertEquals("validation-too-small", doc.get("warnings").get(0).get("code").asText());
        assertTrue(doc.has("accuracy") && doc.has("confusionMatrix"), "the existing fields stay");
    }

    private static Run fit(Path base, Path out) {
        Run fit = Run.of("fit", "--base", base.toString(), "--data", photos.toString(), "--out", out.toString(),
                "--epochs", "1", "--strategy", "head", "--no-augment", "--threads", "1");
        assertEquals(0, fit.code(), fit.err());
        return fit;
    }
}
