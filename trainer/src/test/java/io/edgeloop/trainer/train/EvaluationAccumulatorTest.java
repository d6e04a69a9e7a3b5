package io.edgeloop.trainer.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.edgeloop.trainer.data.ImageSample;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class EvaluationAccumulatorTest {

    @Test
    void confusionPrecisionRecallF1AndWorstMistakes() {
        List<ImageSample> samples = List.of(
                new ImageSample(Path.of("a0"), "a/0", 0), new ImageSample(Path.of("a1"), "a/1", 0),
                new ImageSample(Path.of("a2"), "a/2", 0), new ImageSample(Path.of("b0"), "b/0", 1),
                new ImageSample(Path.of("b1"), "b/1", 1));
        EvaluationAccumulator acc = new EvaluationAccumulator(List.of("a", "b"), samples, 1);
        acc.add(new float[] {0.9f, 0.1f, 0.4f, 0.6f, 0.2f, 0.8f}, new int[] {0, 0, 0}, new int[] {0, 1, 2});
        acc.add(new float[] {0.3f, 0.7f, 0.5f, 0.5f}, new int[] {1, 1}, new int[] {3, 4});
        Evaluation e = acc.result();
        // a0 → a; a1 → b (0.6); a2 → b (0.8); b0 → b; b1 → tie → a (first index)
        assertArrayEquals(new int[] {1, 2}, e.confusion()[0]);
        assertArrayEquals(new int[] {1, 1}, e.confusion()[1]);
        assertEquals(2.0 / 5, e.accuracy(), 1e-12);
        assertEquals(0.5, e.perClass().get(0).precision(), 1e-12);
        assertEquals(1.0 / 3, e.perClass().get(0).recall(), 1e-12);
        assertEquals(0.4, e.perClass().get(0).f1(), 1e-12);
        assertEquals(3, e.perClass().get(0).support());
        assertEquals(1.0 / 3, e.perClass().get(1).precision(), 1e-12);
        assertEquals(0.5, e.perClass().get(1).recall(), 1e-12);
        double expectedLoss = -(Math.log(0.9) + Math.log(0.4) + Math.log(0.2) + Math.log(0.7) + Math.log(0.5)) / 5;
        assertEquals(expectedLoss, e.loss(), 1e-6);
        assertEquals(List.of(new Misclassified(Path.of("a2"), "a", "b", 0.8f)), e.worst());
    }
}
