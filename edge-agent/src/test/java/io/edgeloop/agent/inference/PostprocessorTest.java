package io.edgeloop.agent.inference;

import io.edgeloop.protocol.model.OutputKind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PostprocessorTest {

    private static final List<String> LABELS = List.of("cat", "dog", "bird", "fish");

    @Test
    void softmaxWithTemperatureAndTopK() {
        Postprocessor p = new Postprocessor(LABELS, OutputKind.LOGITS, 2.0, 3, 0, Map.of());
        Classification c = p.apply(new float[] {1, 3, 2, -1});
        // softmax([0.5, 1.5, 1, -0.5])
        double[] e = {Math.exp(0.5), Math.exp(1.5), Math.exp(1.0), Math.exp(-0.5)};
        double sum = e[0] + e[1] + e[2] + e[3];
        assertEquals("dog", c.label());
        assertEquals(e[1] / sum, c.score(), 1e-12);
        assertEquals(List.of("dog", "bird", "cat"), c.top().stream().map(Classification.Ranked::label).toList());
        assertEquals((e[1] - e[2]) / sum, c.margin(), 1e-12);
    }

    @Test
    void entropyIsOfTheWholeDistributionNormalisedByTheNumberOfClasses() {
        float[] logits = {1, 3, 2, -1};
        Postprocessor p = new Postprocessor(LABELS, OutputKind.LOGITS, 2.0, 1, 0, Map.of());
        double[] e = {Math.exp(0.5), Math.exp(1.5), Math.exp(1.0), Math.exp(-0.5)};
        double sum = e[0] + e[1] + e[2] + e[3];
        double h = 0;
        for (double x : e) {
            h -= x / sum * Math.log(x / sum);
        }
        Classification c = p.apply(logits);
        assertEquals(1, c.top().size(), "top-k is cut, the entropy still sees every class");
        assertEquals(h / Math.log(4), c.entropy(), 1e-12);
        float[] probabilities = new float[4];
        for (int i = 0; i < 4; i++) {
            probabilities[i] = (float) (e[i] / sum);
        }
        assertEquals(c.entropy(), new Postprocessor(LABELS, OutputKind.PROBABILITIES, 1, 1, 0, Map.of())
                .apply(probabilities).entropy(), 1e-6);
        assertEquals(1.0, p.apply(new float[] {5, 5, 5, 5}).entropy(), 1e-12);
        assertEquals(0.0, p.apply(new float[] {0, 400, 0, 0}).entropy(), 1e-12);
        assertEquals(0.0, new Postprocessor(LABELS, OutputKind.PROBABILITIES, 1, 1, 0, Map.of())
                .apply(new float[] {0, 1, 0, 0}).entropy());
        // a higher temperature spreads the distribution
        assertEquals(true, new Postprocessor(LABELS, OutputKind.LOGITS, 4.0, 1, 0, Map.of()).apply(logits).entropy()
                > c.entropy());
    }

    @Test
    void lowerTemperatureSharpens() {
        double t1 = new Postprocessor(LABELS, OutputKind.LOGITS, 1, 1, 0, Map.of()).apply(new float[] {1, 2, 0, 0})
                .score();
        double t05 = new Postprocessor(LABELS, OutputKind.LOGITS, 0.5, 1, 0, Map.of()).apply(new float[] {1, 2, 0, 0})
                .score();
        assertEquals(true, t05 > t1);
    }

    @Test
    void probabilitiesAreUsedAsTheyAre() {
        Postprocessor p = new Postprocessor(LABELS, OutputKind.PROBABILITIES, 1, 2, 0, Map.of());
        Classification c = p.apply(new float[] {0.1f, 0.2f, 0.6f, 0.1f});
        assertEquals("bird", c.label());
        assertEquals(0.6, c.score(), 1e-6);
        assertEquals(0.4, c.margin(), 1e-6);
    }

    @Test
    void unknownBelowMinimumConfidenceAndPerClassThresholds() {
        Postprocessor p = new Postprocessor(LABELS, OutputKind.PROBABILITIES, 1, 2, 0.5, Map.of("fish", 0.9));
        assertEquals("unknown", p.apply(new float[] {0.4f, 0.3f, 0.2f, 0.1f}).label());
        assertEquals("cat", p.apply(new float[] {0.6f, 0.2f, 0.1f, 0.1f}).label());
        Classification fish = p.apply(new float[] {0.05f, 0.05f, 0.05f, 0.85f});
        assertEquals("unknown", fish.label());
        assertEquals("fish", fish.topLabel());
        assertEquals("fish", p.apply(new float[] {0.0f, 0.0f, 0.05f, 0.95f}).label());
    }

    @Test
    void tiesGoToTheFirstLabel() {
        Classification c = new Postprocessor(LABELS, OutputKind.LOGITS, 1, 4, 0, Map.of()).apply(new float[4]);
        assertEquals(List.of("cat", "dog", "bird", "fish"),
                c.top().stream().map(Classification.Ranked::label).toList());
        assertEquals(0.0, c.margin(), 1e-12);
    }

    @Test
    void rejectsThresholdsForUnknownClassesAndWrongScoreCounts() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Postprocessor(LABELS, OutputKind.LOGITS, 1, 1, 0, Map.of("horse", 0.5)));
        assertEquals("inference.classThresholds names the class 'horse', allowed the model's labels "
                + "[cat, dog, bird, fish]", e.getMessage());
        Postprocessor p = new Postprocessor(LABELS, OutputKind.LOGITS, 1, 1, 0, Map.of());
        e = assertThrows(IllegalArgumentException.class, () -> p.apply(new float[3]));
        assertEquals("model returned 3 scores, expected 4 (one per label)", e.getMessage());
    }

    @Test
    void nonFiniteScoresAreAFailedFrameNotADecision() {
        for (OutputKind kind : OutputKind.values()) {
            Postprocessor p = new Postprocessor(LABELS, kind, 1, 2, 0, Map.of());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> p.apply(new float[] {0.1f, Float.NaN, 0.2f, 0.3f}));
            assertEquals("model returned NaN for label 'dog', allowed a finite score", e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> p.apply(new float[] {0.1f, 0.2f, 0.3f, Float.POSITIVE_INFINITY}));
            assertEquals("model returned Infinity for label 'fish', allowed a finite score", e.getMessage());
            assertEquals("cat", p.apply(new float[] {0.7f, 0.1f, 0.1f, 0.1f}).label(), "still usable afterwards");
        }
    }
}
