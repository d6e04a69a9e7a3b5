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
import io.edgeloop.trainer.testing.ColourImages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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
        ColourImages.write(train, 10, 1);
        ColourImages.write(test, 15, 2);
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
}
